"""Text shown between the questions; it asks nothing and has no answer."""

from __future__ import annotations

from portalwerk.platform.forms.engine.fieldtypes.base import FieldType, register


@register
class InfoType(FieldType):
    kind = "info"
    has_value = False
    needs_label = False
