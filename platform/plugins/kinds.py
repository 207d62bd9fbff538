"""The plugin kinds of this codebase, as plain data: settings read this table before Django has
loaded any app, to know which plugin packages (and so which Django apps) an installation enables.

Adding a kind is one `Kind(...)` entry here and a `registry.py` next to the kind's `base.py` that
creates its `Registry`; see docs/architecture.md, "Adding a plugin"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Kind:
    name: str
    #: the module that creates this kind's `Registry` (imported for URLs and system checks)
    registry: str
    #: the package of the built-in plugins: the short name `demo` means `<contrib>.demo`
    contrib: str
    #: the module inside a plugin package whose import registers the plugin class
    module: str
    #: the plugins enabled when the kind's setting is not set
    default: tuple[str, ...] = ()
    #: the plugins `PORTALWERK_DEMO_PLUGINS` adds (offline stand-ins, never for real use)
    demo: tuple[str, ...] = ()
    #: which schemas a plugin's own Django app (a package with `apps.py`) is installed in
    apps: Literal["tenant", "shared", "both"] = "tenant"

    @property
    def setting(self) -> str:
        return f"PORTALWERK_{self.name.upper()}_PLUGINS"


KINDS: tuple[Kind, ...] = (
    Kind(
        name="payment",
        registry="portalwerk.billing.providers.registry",
        contrib="portalwerk.billing.providers.contrib",
        module="provider",
        demo=("demo",),
    ),
    Kind(
        name="identity",
        registry="portalwerk.platform.accounts.identity.registry",
        contrib="portalwerk.platform.accounts.identity.contrib",
        module="provider",
        default=("local",),
        apps="both",
    ),
    Kind(
        name="handover",
        registry="portalwerk.platform.handover.registry",
        contrib="portalwerk.platform.handover.contrib",
        module="backend",
        # each built-in backend joins here as it is built
        default=("webhook", "soap", "email", "dms"),
        demo=("demo",),
        # the demo back office is one stand-in for the whole installation, on the base host
        apps="shared",
    ),
    Kind(
        name="datasource",
        registry="portalwerk.platform.datasources.registry",
        contrib="portalwerk.platform.datasources.contrib",
        module="source",
        default=("rest", "soap"),
        demo=("demo",),
    ),
)


def kind(name: str) -> Kind:
    for candidate in KINDS:
        if candidate.name == name:
            return candidate
    raise LookupError(f"no plugin kind {name!r}")
