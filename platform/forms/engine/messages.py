"""Messages shared by the field types and the upload service, and a clerk's own wording
(`messages` in a field's definition) taking the place of the default."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portalwerk.platform.forms.engine.specs import FieldSpec, localize


def _message(f: FieldSpec, code: str, default: str) -> str:
    custom = f.messages.get(code)
    return localize(custom) if custom else default


def file_type_message(label: str, allowed: set[str]) -> str:
    kinds = ", ".join(k.upper() for k in sorted(allowed))
    return _("The file for “%(label)s” must be a %(kinds)s.") % {"label": label, "kinds": kinds}


def file_size_message(label: str, max_size: int) -> str:
    return _("The file for “%(label)s” must be smaller than %(mb)s MB.") % {
        "label": label,
        "mb": f"{max_size / 1_000_000:g}",
    }
