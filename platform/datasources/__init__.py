"""Data sources: external systems (REST, SOAP) a tenant connects so that form fields get their
options or prefill values from them. `base.py` is the plugin interface, `services.py` the one way
to fetch (timeout, cache, fallback) and to configure sources; docs/datasources.md explains it."""
