from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from portalwerk.platform.accounts.identity.base import IdentityProvider

_providers: dict[str, type[IdentityProvider]] = {}

BUILTIN = {"local": "portalwerk.platform.accounts.identity.contrib.local.provider"}


def register(name: str):
    def decorator(cls: type[IdentityProvider]) -> type[IdentityProvider]:
        cls.name = name
        _providers[name] = cls
        return cls

    return decorator


def get(name: str) -> IdentityProvider:
    if name not in _providers and name in BUILTIN:
        import_string(BUILTIN[name] + ".__name__")
    if name not in _providers:
        raise LookupError(f"No identity provider {name!r} is registered")
    return _providers[name]()


def enabled() -> list[IdentityProvider]:
    return [get(name) for name in settings.PORTALWERK_IDENTITY_PROVIDERS]
