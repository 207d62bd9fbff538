"""A postal address in four parts (street, house number, postcode, town), checked part by part."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from portalwerk.platform.forms.engine.fieldtypes.base import FieldType, nul_message, register
from portalwerk.platform.forms.engine.specs import ADDRESS_PARTS, FieldError, localize
from portalwerk.platform.forms.engine.values import _is_empty, holds_nul
from portalwerk.platform.forms.errors import FormErrorCode as Code

POSTCODE_RE = re.compile(r"^[0-9]{5}$")
LABELS = {
    "street": {"de": "Straße", "en": "Street"},
    "house_number": {"de": "Hausnummer", "en": "House number"},
    "postcode": {"de": "Postleitzahl", "en": "Postcode"},
    "city": {"de": "Ort", "en": "Town or city"},
}
AUTOCOMPLETE = {"postcode": "postal-code", "street": "address-line1", "city": "address-level2"}


def _html_id(path: str) -> str:
    return "f-" + path.replace(".", "-")


@register
class AddressType(FieldType):
    kind = "address"

    def clean(self, f, value, path, scope, uploads, errors) -> dict | None:
        if value is None or value == "":
            value = {}
        if not isinstance(value, Mapping):
            errors.append(FieldError(path, Code.INVALID_TYPE, _("Enter an address.")))
            return None
        if holds_nul(value):
            errors.append(FieldError(path, Code.INVALID_TYPE, nul_message(f)))
            return None
        unknown = set(value) - set(ADDRESS_PARTS)
        if unknown:
            for key in sorted(unknown):
                errors.append(
                    FieldError(
                        f"{path}.{key}", Code.UNKNOWN_FIELD, _("This is not part of an address.")
                    )
                )
            return None
        if _is_empty(value) and not f.is_required(scope):
            return None
        cleaned: dict[str, str] = {}
        ok = True
        for part in ADDRESS_PARTS:
            text, error = self._part(part, value.get(part))
            if error is not None:
                errors.append(FieldError(f"{path}.{part}", *error))
                ok = False
            if text is not None:
                cleaned[part] = text
        return cleaned if ok else None

    @staticmethod
    def _part(part: str, raw: Any) -> tuple[str | None, tuple[str, str] | None]:
        """One part tidied, and (code, message) when it is not good."""
        names = {
            "street": _("Enter the street."),
            "house_number": _("Enter the house number."),
            "postcode": _("Enter the postcode."),
            "city": _("Enter the town or city."),
        }
        if not isinstance(raw, (str, type(None))):
            return None, (Code.INVALID_TYPE, names[part])
        text = " ".join((raw or "").split())
        if not text:
            return text, (Code.REQUIRED, names[part])
        if len(text) > 100:
            return text, (Code.TOO_LONG, _("Use 100 characters or fewer."))
        if part == "postcode" and not POSTCODE_RE.match(text):
            return text, (Code.INVALID_POSTCODE, _("Enter a postcode of five digits, like 12345."))
        return text, None

    def display(self, f, value, lang, file_names) -> str:
        if not isinstance(value, Mapping):
            return str(value)
        street = " ".join(str(value.get(k, "")) for k in ("street", "house_number")).strip()
        town = " ".join(str(value.get(k, "")) for k in ("postcode", "city")).strip()
        return ", ".join(p for p in (street, town) if p)

    def read_post(self, f, post, files, name, existing, store_file) -> Any:
        return {part: post.get(f"{name}.{part}", "") for part in ADDRESS_PARTS}

    def widget(self, f, ctx, path, value, errors, lang, file_names, child_context) -> None:
        parts = value if isinstance(value, Mapping) else {}
        ctx["parts"] = [
            {
                "id": _html_id(f"{path}.{part}"),
                "name": f"{path}.{part}",
                "label": localize(LABELS[part], lang),
                "value": parts.get(part, ""),
                "error": errors.get(f"{path}.{part}", ""),
                "autocomplete": AUTOCOMPLETE.get(part, ""),
                "narrow": part in ("house_number", "postcode"),
            }
            for part in ADDRESS_PARTS
        ]
        ctx["error"] = ctx["error"] or next((p["error"] for p in ctx["parts"] if p["error"]), "")
