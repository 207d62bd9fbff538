"""The built-in hand-over backends; each package registers one `HandoverBackend` in its
`backend.py`."""
