"""Options and prefill values that come from a tenant's data sources (`"options_from"`,
`"prefill_from"` in a definition).

The engine stays a library without models: it asks whatever `use()` installed (the forms app
installs the data sources service when Django starts, `forms/apps.py`). A compiled definition is
shared by every request, so sourced options are looked up when they are needed (rendering,
cleaning, display), never stored in the `FieldSpec`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

# Why a field's options are not the source's own answer of now, as `SourcedOptions.state`:
FRESH = "fresh"  # the source's answer (just fetched, or kept within the cache lifetime)
STALE = "stale"  # the source failed; its last good answer, older than the lifetime
FALLBACK = "fallback"  # the source failed and never answered well; the static fallback list
UNAVAILABLE = "unavailable"  # nothing to offer


@dataclass(frozen=True)
class SourcedOptions:
    options: list[dict] = field(default_factory=list)
    state: str = UNAVAILABLE

    @property
    def degraded(self) -> bool:
        return self.state != FRESH


class Sources(Protocol):
    def options(self, key: str) -> SourcedOptions: ...

    def value(self, key: str, path: str) -> str | None: ...


_installed: list[Sources] = []


def use(sources: Sources) -> None:
    _installed[:] = [sources]


def options(key: str) -> SourcedOptions:
    return _installed[0].options(key) if _installed else SourcedOptions()


def value(key: str, path: str) -> Any:
    return _installed[0].value(key, path) if _installed else None
