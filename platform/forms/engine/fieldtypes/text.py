"""Text in one line or several, and the kinds of text with a format: email, phone, IBAN and
postcode. All are trimmed and their inner whitespace tidied before they are checked."""

from __future__ import annotations

import re
from typing import Any

from django.core.validators import validate_email
from django.utils.translation import gettext as _

from portalwerk.platform.forms.engine.fieldtypes.base import Fail, FieldType, register
from portalwerk.platform.forms.engine.messages import _message
from portalwerk.platform.forms.engine.specs import FieldSpec, UploadLookup
from portalwerk.platform.forms.engine.values import iban_is_valid
from portalwerk.platform.forms.errors import FormErrorCode as Code

PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()/\-]{4,24}$")
POSTCODE_RE = re.compile(r"^[0-9]{5}$")


@register
class TextType(FieldType):
    kind = "text"
    max_length = 200

    def clean_value(self, f: FieldSpec, value: Any, fail: Fail, uploads: UploadLookup) -> Any:
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            fail(Code.INVALID_TYPE, _("Enter text for “%(label)s”.") % {"label": f.label_text()})
            return None
        return self.clean_text(f, self.normalise(str(value).strip()), fail)

    def normalise(self, text: str) -> str:
        return " ".join(text.split())

    def clean_text(self, f: FieldSpec, text: str, fail: Fail) -> str | None:
        if not self.has_length(f, text, fail):
            return None
        return self.matching(f, text, fail)

    def has_length(self, f: FieldSpec, text: str, fail: Fail) -> bool:
        v, label = f.validation, f.label_text()
        max_length = v.get("max_length", self.max_length)
        if len(text) > max_length:
            fail(
                Code.TOO_LONG,
                _("“%(label)s” must be %(n)s characters or fewer.")
                % {"label": label, "n": max_length},
            )
            return False
        if v.get("min_length") and len(text) < v["min_length"]:
            fail(
                Code.TOO_SHORT,
                _("“%(label)s” must be %(n)s characters or more.")
                % {"label": label, "n": v["min_length"]},
            )
            return False
        return True

    def matching(self, f: FieldSpec, text: str, fail: Fail) -> str | None:
        """The clerk's own pattern (`validation.pattern`), when there is one."""
        if f.pattern is not None and not f.pattern.fullmatch(text):
            label = f.label_text()
            fail(
                Code.PATTERN,
                _message(
                    f, "pattern", _("Enter “%(label)s” in the right format.") % {"label": label}
                ),
            )
            return None
        return text


@register
class TextareaType(TextType):
    kind = "textarea"
    max_length = 4000

    def normalise(self, text: str) -> str:
        return text.replace("\r\n", "\n")


@register
class EmailType(TextType):
    kind = "email"
    max_length = 254

    def clean_text(self, f: FieldSpec, text: str, fail: Fail) -> str | None:
        if not self.has_length(f, text, fail):
            return None
        try:
            validate_email(text)
        except Exception:
            fail(
                Code.INVALID_EMAIL,
                _("Enter an email address in the right format, like name@example.com."),
            )
            return None
        return text.lower()


@register
class PhoneType(TextType):
    kind = "phone"
    max_length = 30

    def clean_text(self, f: FieldSpec, text: str, fail: Fail) -> str | None:
        if not self.has_length(f, text, fail):
            return None
        if not PHONE_RE.match(text):
            fail(Code.INVALID_PHONE, _("Enter a phone number, like 0511 123456 or +49 511 123456."))
            return None
        return self.matching(f, text, fail)


@register
class IbanType(TextType):
    kind = "iban"

    def normalise(self, text: str) -> str:
        return super().normalise(text).replace(" ", "").upper()

    def clean_text(self, f: FieldSpec, text: str, fail: Fail) -> str | None:
        if not iban_is_valid(text):
            fail(
                Code.INVALID_IBAN,
                _message(f, "invalid", _("Enter a valid IBAN, like DE89 3704 0044 0532 0130 00.")),
            )
            return None
        return text


@register
class PostcodeType(TextType):
    kind = "postcode"

    def clean_text(self, f: FieldSpec, text: str, fail: Fail) -> str | None:
        if not POSTCODE_RE.match(text):
            fail(
                Code.INVALID_POSTCODE,
                _message(f, "invalid", _("Enter a postcode of five digits, like 12345.")),
            )
            return None
        return text
