"""Numbers, with a decimal comma or point; whole numbers and bounds when the definition says so."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portalwerk.platform.forms.engine.fieldtypes.base import Fail, FieldType, register
from portalwerk.platform.forms.engine.specs import FieldSpec, UploadLookup
from portalwerk.platform.forms.errors import FormErrorCode as Code


@register
class NumberType(FieldType):
    kind = "number"

    def clean_value(self, f: FieldSpec, value: Any, fail: Fail, uploads: UploadLookup) -> Any:
        label = f.label_text()
        number = self._number(value)
        if number is None:
            fail(Code.INVALID_TYPE, _("Enter a number for “%(label)s”.") % {"label": label})
            return None
        v = f.validation
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

    @staticmethod
    def _number(value: Any) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            return None
        try:
            number = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None

    def display(self, f, value, lang, file_names) -> str:
        if isinstance(value, float):
            if (lang or get_language() or "de")[:2] == "de":
                return f"{value:g}".replace(".", ",")
            return f"{value:g}"
        return str(value)

    def input_value(self, f: FieldSpec, value: Any) -> Any:
        if isinstance(value, float):
            return f"{value:g}"
        return super().input_value(f, value)
