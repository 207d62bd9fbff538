"""Values as clerks type them on the builder's pages and as definitions keep them: dates
(DD.MM.YYYY on the page, ISO or today±N in the definition), amounts of money and file sizes."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

_RELATIVE = re.compile(r"^(today|heute)\s*(?:([+-])\s*(\d{1,3})\s*([dmyjt]))?$")
_UNITS = {"d": "d", "t": "d", "m": "m", "y": "y", "j": "y"}


def iso_date(text: str) -> str | None:
    """ "27.03.1990" or "1990-03-27" -> "1990-03-27"; None when it is no date."""
    text = (text or "").strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def date_bound(text: str) -> str | None:
    """A date bound as the engine reads it: an ISO date, or today±N with d, m or y (German
    "heute-18j" too); None when it is neither."""
    text = (text or "").strip().lower()
    match = _RELATIVE.match(text)
    if match:
        _word, sign, n, unit = match.groups()
        return f"today{sign}{n}{_UNITS[unit]}" if sign else "today"
    return iso_date(text)


def shown_date(value: str) -> str:
    try:
        return datetime.date.fromisoformat(value).strftime("%d.%m.%Y")
    except (TypeError, ValueError):
        return str(value or "")


def cents(text: str) -> int | None:
    """ "15", "15,50", "1.234,50" or "15.50" (euros) -> cents; None when it is no amount."""
    text = (text or "").strip().replace("€", "").replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount > 1_000_000:
        return None
    return int((amount * 100).quantize(Decimal(1)))


def euros(cents_value: int | None) -> str:
    """Cents as the amount input shows them: 1550 -> "15,50"."""
    if cents_value is None:
        return ""
    return f"{cents_value // 100},{cents_value % 100:02d}"


def number(text: str) -> int | float | None:
    text = (text or "").strip().replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def shown_number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)
