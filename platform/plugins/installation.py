"""Which plugin packages this installation enables, read from the environment by settings.py.
Nothing here imports Django's app machinery: it runs while settings are still being read."""

from __future__ import annotations

import importlib.util
import os

from django.core.exceptions import ImproperlyConfigured

from portalwerk.platform.plugins.kinds import KINDS, Kind

# Settings this scheme replaced; naming them stops an upgraded installation from silently
# running with the defaults.
RENAMED = {
    "PORTALWERK_IDENTITY_PROVIDERS": "PORTALWERK_IDENTITY_PLUGINS",
    "PORTALWERK_PAYMENT_PROVIDER_MODULES": "PORTALWERK_PAYMENT_PLUGINS",
}


def package_of(kind: Kind, word: str) -> str:
    """A short name is a built-in plugin (`stripe`); a dotted path is a package anywhere."""
    return word if "." in word else f"{kind.contrib}.{word}"


def enabled_packages(*, demo: bool, environ=os.environ) -> dict[str, list[str]]:
    """Per kind, the plugin packages in the order the operator gave (then the demo plugins).
    Unset means the kind's default; set but empty means none."""
    for old, new in RENAMED.items():
        if old in environ:
            raise ImproperlyConfigured(f"{old} was replaced by {new}; rename it (see README).")
    enabled = {}
    for kind in KINDS:
        value = environ.get(kind.setting)
        words = list(kind.default) if value is None else value.split(",")
        if demo:
            words += kind.demo
        packages = []
        for word in (word.strip() for word in words):
            if word and package_of(kind, word) not in packages:
                packages.append(package_of(kind, word))
        enabled[kind.name] = packages
    return enabled


def plugin_apps(enabled: dict[str, list[str]], schema: str) -> list[str]:
    """The enabled plugin packages that are Django apps (have an `apps.py`) and belong in
    `schema` ("tenant" or "shared"), for TENANT_APPS / SHARED_APPS."""
    apps = []
    for kind in KINDS:
        if kind.apps not in (schema, "both"):
            continue
        for package in enabled.get(kind.name, []):
            try:
                is_app = importlib.util.find_spec(f"{package}.apps") is not None
            except ModuleNotFoundError:
                raise ImproperlyConfigured(
                    f"{kind.setting} names {package!r}, which is not an importable package."
                ) from None
            if is_app:
                apps.append(package)
    return apps
