"""The form engine's view of the tenant's data sources (`engine.sourcing.Sources`), installed
when Django starts (`apps.py`)."""

from __future__ import annotations

from typing import Any

from portalwerk.platform.datasources import fetching
from portalwerk.platform.forms.engine import sourcing


class DataSources:
    def options(self, key: str) -> sourcing.SourcedOptions:
        offered = fetching.options(key)
        return sourcing.SourcedOptions(offered.options, offered.state)

    def value(self, key: str, path: str) -> Any:
        return fetching.value(key, path)
