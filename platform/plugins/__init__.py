"""One plugin framework for every integration kind (payment providers, identity providers, and
next hand-over backends, data sources, provisioners). `kinds.py` lists the kinds, `registry.py`
is the one registry, `installation.py` turns the settings into enabled plugin packages and their
Django apps. docs/architecture.md, "Adding a plugin", shows how to add one."""

from portalwerk.platform.plugins.base import Plugin
from portalwerk.platform.plugins.registry import (
    PluginUnavailable,
    Problem,
    Registry,
    check_all,
    registries,
    urlpatterns,
)

__all__ = [
    "Plugin",
    "PluginUnavailable",
    "Problem",
    "Registry",
    "check_all",
    "registries",
    "urlpatterns",
]
