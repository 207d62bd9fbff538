"""Dates as clerks type them: TT.MM.JJJJ (also T.M.JJJJ), or ISO JJJJ-MM-TT as links carry
them. Pages ask for dates in text inputs with this hint, never `type="date"`, whose display
follows the browser's locale ("German formats everywhere", issue 15)."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext_lazy as _

_GERMAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")

HINT = _("DD.MM.YYYY")
INVALID = _("Enter the date as DD.MM.YYYY, for example 31.01.2027.")


def parse_date(text: str) -> datetime.date | None:
    """The date `text` names, or None when it names none (a typo, 31.02.2027)."""
    text = (text or "").strip()
    try:
        german = _GERMAN.match(text)
        if german:
            day, month, year = (int(part) for part in german.groups())
            return datetime.date(year, month, day)
        if _ISO.match(text):
            return datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return None


def date_filters(params, names=("from", "to")) -> tuple[dict, dict]:
    """The date filters of a list page: {name: date} for those given and right, and
    {name: message} for those given and wrong (left out of the filter, said at the field)."""
    dates, errors = {}, {}
    for name in names:
        text = (params.get(name) or "").strip()
        if not text:
            continue
        value = parse_date(text)
        if value is None:
            errors[name] = INVALID
        else:
            dates[name] = value
    return dates, errors
