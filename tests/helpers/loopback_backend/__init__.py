"""A hand-over backend for tests only: posts a parcel as JSON to a real HTTP server on loopback
(`tests.helpers.loopback_receiver`). Enable it with the `loopback_backend` fixture of
`tests/platform/handover/backoffice/conftest.py`."""
