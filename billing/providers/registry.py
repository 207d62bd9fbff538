"""Payment providers by name: `@register("stripe")` on the class; the settings list the modules
to load (`PORTALWERK_PAYMENT_PROVIDER_MODULES`), so adding a vendor is one folder and one line."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from django.conf import settings

from portalwerk.billing.providers.base import PaymentProvider

_PROVIDERS: dict[str, type[PaymentProvider]] = {}
_loaded = False


def register(name: str) -> Callable[[type[PaymentProvider]], type[PaymentProvider]]:
    def decorator(cls: type[PaymentProvider]) -> type[PaymentProvider]:
        existing = _PROVIDERS.get(name)
        if existing is not None and existing is not cls:
            raise RuntimeError(f"payment provider {name!r} is registered twice")
        cls.name = name
        _PROVIDERS[name] = cls
        return cls

    return decorator


def _load() -> None:
    global _loaded
    if not _loaded:
        for module in settings.PORTALWERK_PAYMENT_PROVIDER_MODULES:
            importlib.import_module(module)
        _loaded = True


def names() -> list[str]:
    _load()
    return sorted(_PROVIDERS)


def get_provider(name: str) -> PaymentProvider:
    _load()
    try:
        return _PROVIDERS[name]()
    except KeyError:
        raise LookupError(f"no payment provider named {name!r}") from None


def check_all() -> dict[str, list[str]]:
    """Configuration problems of every loaded provider (for the `check` command and tests)."""
    return {name: get_provider(name).check_config() for name in names()}
