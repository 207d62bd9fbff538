"""Dates, typed as 27.03.1990 (or ISO), kept as ISO dates; bounds may be relative to today."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from portalwerk.platform.forms.engine.fieldtypes.base import Fail, FieldType, register
from portalwerk.platform.forms.engine.messages import _message
from portalwerk.platform.forms.engine.specs import FieldSpec, UploadLookup
from portalwerk.platform.forms.engine.values import _parse_date, _resolve_date
from portalwerk.platform.forms.errors import FormErrorCode as Code


@register
class DateType(FieldType):
    kind = "date"

    def clean_value(self, f: FieldSpec, value: Any, fail: Fail, uploads: UploadLookup) -> Any:
        label = f.label_text()
        day = _parse_date(value)
        if day is None:
            fail(
                Code.INVALID_DATE,
                _("“%(label)s” must be a real date, like 27.03.1990.") % {"label": label},
            )
            return None
        v = f.validation
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

    def display(self, f, value, lang, file_names) -> str:
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value).strftime("%d.%m.%Y")
            except ValueError:
                return value
        return str(value)

    def input_value(self, f: FieldSpec, value: Any) -> Any:
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            try:
                return datetime.date.fromisoformat(value).strftime("%d.%m.%Y")
            except ValueError:
                return value
        return super().input_value(f, value)
