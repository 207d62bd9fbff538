"""`demo`: an offline stand-in that answers with a fixed list of fishing waters."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portalwerk.platform.datasources.base import DataSourcePlugin, MappingFields
from portalwerk.platform.datasources.registry import sources

WATERS = {
    "waters": [
        {"id": "aller", "name": "Aller"},
        {"id": "leine", "name": "Leine"},
        {"id": "steinhuder_meer", "name": "Steinhuder Meer"},
    ],
    "office": {"phone": "0511 123456"},
}


@sources.register("demo")
class DemoSource(DataSourcePlugin):
    label = _("Demo (a fixed list of fishing waters)")
    demo = True
    config_form = MappingFields

    def fetch(self, config, limits):
        return WATERS
