"""Payment providers: a plugin registry (DESIGN.md, "Integrations are plugins").

`base.py` is the interface, exchanging our own dataclasses; `registry.py` holds the providers the
settings name; `contrib/<vendor>/` is one small package per vendor. Nothing outside `billing/`
imports a vendor SDK."""
