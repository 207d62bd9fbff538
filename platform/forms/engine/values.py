"""Reading raw values: dates (German or ISO, and `today±N[dmy]` bounds), IBANs, yes/no, and
whether a value counts as empty."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from portalwerk.platform import dates

IBAN_RE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
IBAN_LENGTHS = {"DE": 22, "AT": 20, "CH": 21, "NL": 18, "FR": 27, "BE": 16, "LU": 20, "DK": 18}
OFFSET_RE = re.compile(r"^today(?:([+-])(\d+)([dmy]))?$")


def holds_nul(value: Any) -> bool:
    """A NUL character anywhere in a value, its keys included: PostgreSQL's text and jsonb cannot
    store one, so such input is refused as a field error before it reaches the database."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return False


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return not value
    if isinstance(value, Mapping):
        return all(_is_empty(v) for v in value.values())
    return False


def _resolve_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    match = OFFSET_RE.match(value)
    if match:
        today = datetime.date.today()
        sign, amount, unit = match.groups()
        if not sign:
            return today
        n = int(amount) * (1 if sign == "+" else -1)
        if unit == "d":
            return today + datetime.timedelta(days=n)
        months = n * (12 if unit == "y" else 1)
        year, month = divmod(today.month - 1 + months, 12)
        year += today.year
        day = min(today.day, 28 if month + 1 == 2 else 30 if month + 1 in (4, 6, 9, 11) else 31)
        return datetime.date(year, month + 1, day)
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _parse_date(value: Any) -> datetime.date | None:
    # one reading of TT.MM.JJJJ and ISO dates for the whole platform (clerk pages use it too)
    return dates.parse_date(value) if isinstance(value, str) else None


def iban_is_valid(iban: str) -> bool:
    if not IBAN_RE.match(iban):
        return False
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected and len(iban) != expected:
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("yes", "true", "on", "1", "ja"):
            return True
        if lowered in ("no", "false", "0", "nein"):
            return False
    return None
