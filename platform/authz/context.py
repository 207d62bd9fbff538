"""`caps` in every template: `{% if caps.process_submissions %}`, asked of `request.actor`.
Each entry is computed when a template first reads it."""

from __future__ import annotations

from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import actor_for


class _Caps:
    def __init__(self, request):
        self._request = request
        self._known: dict[str, bool] = {}

    def __getitem__(self, name: str) -> bool:
        if name not in self._known:
            try:
                capability = capabilities.Capability(name)
            except ValueError:
                raise KeyError(name) from None
            self._known[name] = capabilities.has(actor_for(self._request), capability)
        return self._known[name]

    def __getattr__(self, name: str) -> bool:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def caps(request) -> dict:
    return {"caps": _Caps(request)}
