"""One value normalised and checked against its field (`"12,5"` → 12.5, `"yes"` → True,
`"de89 3704…"` → `"DE893704…"`); addresses and repeating groups checked part by part."""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.validators import validate_email
from django.utils.translation import gettext as _

from portalwerk.platform.forms.engine.messages import (
    _message,
    _required_message,
    file_size_message,
    file_type_message,
)
from portalwerk.platform.forms.engine.specs import (
    ADDRESS_PARTS,
    FILE_KINDS,
    FieldError,
    FieldSpec,
    UploadLookup,
)
from portalwerk.platform.forms.engine.values import (
    _bool,
    _is_empty,
    _parse_date,
    _resolve_date,
    iban_is_valid,
)
from portalwerk.platform.forms.errors import FormErrorCode as Code

PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()/\-]{4,24}$")
POSTCODE_RE = re.compile(r"^[0-9]{5}$")
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 4000, "email": 254, "phone": 30}


def _clean_field(
    f: FieldSpec,
    value: Any,
    path: str,
    scope: Mapping,
    uploads: UploadLookup,
    errors: list[FieldError],
) -> Any:
    """Normalise and check one value; append errors; return the clean value or None."""

    def fail(code: str, message: str, at: str = path) -> None:
        errors.append(FieldError(at, code, message))

    label = f.label_text()
    required = f.is_required(scope)
    if f.type == "repeat":
        return _clean_repeat(f, value, path, scope, uploads, errors, required)
    if f.type == "address":
        return _clean_address(f, value, path, errors, required)
    if _is_empty(value) or (f.type == "declaration" and _bool(value) is False):
        if required:
            fail(Code.REQUIRED, _required_message(f))
        return None
    v = f.validation
    kind = f.type
    if kind in ("text", "textarea", "email", "phone", "iban", "postcode"):
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            fail(Code.INVALID_TYPE, _("Enter text for “%(label)s”.") % {"label": label})
            return None
        text = str(value).strip()
        if kind == "textarea":
            text = text.replace("\r\n", "\n")
        else:
            text = " ".join(text.split())
        if kind == "iban":
            text = text.replace(" ", "").upper()
            if not iban_is_valid(text):
                fail(
                    Code.INVALID_IBAN,
                    _message(
                        f, "invalid", _("Enter a valid IBAN, like DE89 3704 0044 0532 0130 00.")
                    ),
                )
                return None
            return text
        if kind == "postcode":
            if not POSTCODE_RE.match(text):
                fail(
                    Code.INVALID_POSTCODE,
                    _message(f, "invalid", _("Enter a postcode of five digits, like 12345.")),
                )
                return None
            return text
        max_length = v.get("max_length", DEFAULT_MAX_LENGTH.get(kind, 200))
        if len(text) > max_length:
            fail(
                Code.TOO_LONG,
                _("“%(label)s” must be %(n)s characters or fewer.")
                % {"label": label, "n": max_length},
            )
            return None
        if v.get("min_length") and len(text) < v["min_length"]:
            fail(
                Code.TOO_SHORT,
                _("“%(label)s” must be %(n)s characters or more.")
                % {"label": label, "n": v["min_length"]},
            )
            return None
        if kind == "email":
            try:
                validate_email(text)
            except Exception:
                fail(
                    Code.INVALID_EMAIL,
                    _("Enter an email address in the right format, like name@example.com."),
                )
                return None
            return text.lower()
        if kind == "phone" and not PHONE_RE.match(text):
            fail(Code.INVALID_PHONE, _("Enter a phone number, like 0511 123456 or +49 511 123456."))
            return None
        if f.pattern is not None and not f.pattern.fullmatch(text):
            fail(
                Code.PATTERN,
                _message(
                    f, "pattern", _("Enter “%(label)s” in the right format.") % {"label": label}
                ),
            )
            return None
        return text
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            fail(Code.INVALID_TYPE, _("Enter a number for “%(label)s”.") % {"label": label})
            return None
        try:
            number = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            fail(Code.INVALID_TYPE, _("Enter a number for “%(label)s”.") % {"label": label})
            return None
        if v.get("integer") and number != number.to_integral_value():
            fail(Code.NOT_INTEGER, _("Enter a whole number for “%(label)s”.") % {"label": label})
            return None
        if "min" in v and number < Decimal(str(v["min"])):
            fail(
                Code.TOO_SMALL,
                _("“%(label)s” must be %(n)s or more.") % {"label": label, "n": v["min"]},
            )
            return None
        if "max" in v and number > Decimal(str(v["max"])):
            fail(
                Code.TOO_LARGE,
                _("“%(label)s” must be %(n)s or less.") % {"label": label, "n": v["max"]},
            )
            return None
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "date":
        day = _parse_date(value)
        if day is None:
            fail(
                Code.INVALID_DATE,
                _("“%(label)s” must be a real date, like 27.03.1990.") % {"label": label},
            )
            return None
        after = _resolve_date(v.get("after")) if v.get("after") else None
        before = _resolve_date(v.get("before")) if v.get("before") else None
        if after and day <= after:
            fail(
                Code.DATE_TOO_EARLY,
                _message(
                    f,
                    "after",
                    _("“%(label)s” must be after %(date)s.")
                    % {"label": label, "date": after.strftime("%d.%m.%Y")},
                ),
            )
            return None
        if before and day >= before:
            fail(
                Code.DATE_TOO_LATE,
                _message(
                    f,
                    "before",
                    _("“%(label)s” must be before %(date)s.")
                    % {"label": label, "date": before.strftime("%d.%m.%Y")},
                ),
            )
            return None
        return day.isoformat()
    if kind == "choice":
        if not isinstance(value, str) or value not in f.option_values:
            fail(
                Code.INVALID_CHOICE,
                _("Select one of the options for “%(label)s”.") % {"label": label},
            )
            return None
        return value
    if kind == "multichoice":
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, (list, tuple)) or not all(
            isinstance(x, str) and x in f.option_values for x in values
        ):
            fail(
                Code.INVALID_CHOICE,
                _("Select one of the options for “%(label)s”.") % {"label": label},
            )
            return None
        chosen = set(values)
        return [o["value"] for o in f.options if o["value"] in chosen]
    if kind in ("yesno", "declaration"):
        flag = _bool(value)
        if flag is None:
            fail(Code.INVALID_CHOICE, _("Select yes or no for “%(label)s”.") % {"label": label})
            return None
        return flag
    if kind == "file":
        ids = value if isinstance(value, list) else [value]
        if not all(isinstance(i, str) for i in ids) or (len(ids) > 1 and not f.multiple):
            fail(Code.INVALID_TYPE, _("Upload a file for “%(label)s”.") % {"label": label})
            return None
        found = uploads(ids)
        allowed = set(v.get("file_types") or FILE_KINDS)
        max_size = v.get("max_size")
        for upload_id in ids:
            info = found.get(upload_id)
            if info is None:
                fail(
                    Code.FILE_MISSING,
                    _("The file for “%(label)s” was not found. Upload it again.")
                    % {"label": label},
                )
                return None
            if info.kind not in allowed:
                fail(Code.FILE_TYPE, file_type_message(label, allowed))
                return None
            if max_size and info.size > max_size:
                fail(Code.FILE_TOO_LARGE, file_size_message(label, max_size))
                return None
        return ids if f.multiple else ids[0]
    return None


def _clean_address(
    f: FieldSpec, value: Any, path: str, errors: list[FieldError], required: bool
) -> dict | None:
    if value is None or value == "":
        value = {}
    if not isinstance(value, Mapping):
        errors.append(FieldError(path, Code.INVALID_TYPE, _("Enter an address.")))
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
    if _is_empty(value) and not required:
        return None
    names = {
        "street": _("Enter the street."),
        "house_number": _("Enter the house number."),
        "postcode": _("Enter the postcode."),
        "city": _("Enter the town or city."),
    }
    cleaned: dict[str, str] = {}
    ok = True
    for part in ADDRESS_PARTS:
        raw = value.get(part)
        if not isinstance(raw, (str, type(None))):
            errors.append(FieldError(f"{path}.{part}", Code.INVALID_TYPE, names[part]))
            ok = False
            continue
        text = " ".join((raw or "").split())
        if not text:
            errors.append(FieldError(f"{path}.{part}", Code.REQUIRED, names[part]))
            ok = False
        elif len(text) > 100:
            errors.append(
                FieldError(f"{path}.{part}", Code.TOO_LONG, _("Use 100 characters or fewer."))
            )
            ok = False
        elif part == "postcode" and not POSTCODE_RE.match(text):
            errors.append(
                FieldError(
                    f"{path}.{part}",
                    Code.INVALID_POSTCODE,
                    _("Enter a postcode of five digits, like 12345."),
                )
            )
            ok = False
        cleaned[part] = text
    return cleaned if ok else None


def _clean_repeat(
    f: FieldSpec,
    value: Any,
    path: str,
    scope: Mapping,
    uploads: UploadLookup,
    errors: list[FieldError],
    required: bool,
) -> list | None:
    label = f.label_text()
    if value is None or value == "":
        value = []
    if not isinstance(value, list) or not all(isinstance(i, Mapping) for i in value):
        errors.append(
            FieldError(
                path, Code.INVALID_TYPE, _("Enter the entries of “%(label)s”.") % {"label": label}
            )
        )
        return None
    items = [i for i in value if not _is_empty(i)]
    minimum = max(f.min_items, 1 if required else 0)
    if len(items) < minimum:
        if minimum == 1:
            errors.append(FieldError(path, Code.REQUIRED, _required_message(f)))
        else:
            errors.append(
                FieldError(
                    path,
                    Code.TOO_FEW_ITEMS,
                    _("Add at least %(n)s entries to “%(label)s”.")
                    % {"n": minimum, "label": label},
                )
            )
        return None
    if len(items) > f.max_items:
        errors.append(
            FieldError(
                path,
                Code.TOO_MANY_ITEMS,
                _("Add at most %(n)s entries to “%(label)s”.") % {"n": f.max_items, "label": label},
            )
        )
        return None
    known = {c.key for c in f.children if c.has_value}
    cleaned_items = []
    before = len(errors)
    for item in value:
        if _is_empty(item):
            continue
        item_path = f"{path}.{len(cleaned_items)}"
        for key in item:
            if key not in known:
                errors.append(
                    FieldError(
                        f"{item_path}.{key}", Code.UNKNOWN_FIELD, _("This is not a question here.")
                    )
                )
        cleaned_item: dict[str, Any] = {}
        item_scope = ChainMap(cleaned_item, scope)
        for child in f.children:
            if not child.has_value or not child.is_visible(item_scope):
                continue
            child_value = _clean_field(
                child, item.get(child.key), f"{item_path}.{child.key}", item_scope, uploads, errors
            )
            if child_value is not None:
                cleaned_item[child.key] = child_value
        cleaned_items.append(cleaned_item)
    if len(errors) > before:
        return None
    return cleaned_items
