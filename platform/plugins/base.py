"""What every plugin, of whatever kind, has. A kind's own interface (`PaymentProvider`,
`IdentityProvider`, …) subclasses `Plugin` and adds the methods callers of that kind use."""

from __future__ import annotations


class Plugin:
    #: the id it was registered under (`@registry.register("stripe")` sets it)
    name: str = ""
    label: str = ""
    #: an offline stand-in: enabled only in development and tests, or where an operator sets
    #: PORTALWERK_DEMO_PLUGINS=1; it must never take part in real work
    demo: bool = False
    #: (prefix, URLconf module) to route on tenant hosts / on the base host while enabled
    tenant_urls: tuple[str, str] | None = None
    public_urls: tuple[str, str] | None = None

    def check_config(self) -> list[str]:
        """Problems with this plugin's configuration, in sentences an operator can act on;
        empty when fine. Run by `manage.py check` for every enabled plugin."""
        return []
