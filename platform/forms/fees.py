"""The fee a page shows, from the very calculation the submit service charges with
(`FormSpec.fee_cents` over the cleaned answers): the exact amount once the answers are known,
and before that the lowest and highest amount the answers can lead to.

Before the citizen has answered, the amount is evaluated for every combination of the answers
it depends on, as far as those have a known set of values (choices, yes/no, declarations, whole
numbers between bounds, and "not answered" where a question may be left out or hidden). A fee
on free input (an unbounded number, a date, a count) has no range we can state honestly: pages
then say that the fee depends on the answers and is shown before submitting."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portalwerk.platform.forms.engine.form import FormSpec
from portalwerk.platform.forms.engine.specs import UploadLookup, _no_uploads

MAX_COMBINATIONS = 4096
_ABSENT = object()


def format_fee(cents: int, language: str | None = None) -> str:
    """An amount of euro cents as people read money in the active (or given) language:
    "1.234,50 €" in German, "€1,234.50" in English."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        amount = number_format(Decimal(cents) / 100, 2, use_l10n=True, force_grouping=True)
        if (translation.get_language() or "")[:2] == "en":
            return f"€{amount}"
    return f"{amount} €"


@dataclass(frozen=True)
class FeeRange:
    low: int
    high: int

    @property
    def fixed(self) -> bool:
        return self.low == self.high

    def text(self) -> str:
        """ "35,00 €", or "ab 15,00 €" where the amount depends on the answers."""
        if self.fixed:
            return format_fee(self.low)
        if self.low == 0:
            return _("up to %(amount)s") % {"amount": format_fee(self.high)}
        return _("from %(amount)s") % {"amount": format_fee(self.low)}


def fee_for_answers(spec: FormSpec, answers: Mapping, uploads: UploadLookup = _no_uploads) -> int:
    """What submitting these answers would charge: the amount over the cleaned answers (hidden
    questions dropped), exactly as the submit service computes it."""
    cleaned, _errors = spec.clean_all(answers, uploads)
    return spec.fee_cents(cleaned)


def _may_be_left_out(spec: FormSpec, key: str) -> bool:
    field = spec.fields_by_key[key]
    step = spec.step(spec.step_of.get(key, ""))
    return not field.required or field.has_show_if or bool(step and step.has_skip_if)


def _possible_values(spec: FormSpec, key: str) -> list[Any] | None:
    field = spec.fields_by_key.get(key)
    if field is None:
        return None
    if field.type in ("choice", "multichoice"):
        options = sorted(field.option_values)
        if field.type == "multichoice" or field.multiple:
            if len(options) > 10:
                return None
            values: list[Any] = [
                list(chosen)
                for size in range(len(options) + 1)
                for chosen in itertools.combinations(options, size)
            ]
        else:
            values = list(options)
    elif field.type in ("yesno", "declaration"):
        values = [True, False]
    elif field.type == "number":
        rule = field.validation
        bounds = _whole_bounds(rule) if rule.get("integer") else None
        if bounds is None or bounds[1] - bounds[0] > 100:
            return None
        values = list(range(bounds[0], bounds[1] + 1))
    else:
        return None
    if _may_be_left_out(spec, key):
        values.append(_ABSENT)
    return values


def _whole_bounds(rule) -> tuple[int, int] | None:
    """The whole numbers an integer field allows, or None where a bound is missing or not a
    number (a definition may say "0.5": then the range cannot be listed)."""
    try:
        low = math.ceil(Decimal(str(rule["min"])))
        high = math.floor(Decimal(str(rule["max"])))
    except (KeyError, InvalidOperation, ValueError, OverflowError):
        return None
    return (low, high) if low <= high else None


def fee_range(spec: FormSpec) -> FeeRange | None:
    """The lowest and highest fee the form can charge, or None when it has no fee or the fee
    depends on free input."""
    if spec.fee is None:
        return None
    keys = sorted(spec.fee.variables)
    choices = [_possible_values(spec, key) for key in keys]
    if any(values is None for values in choices):
        return None
    count = 1
    for values in choices:
        count *= len(values)
    if count > MAX_COMBINATIONS:
        return None
    amounts = set()
    for combination in itertools.product(*choices):
        answers = {k: v for k, v in zip(keys, combination, strict=True) if v is not _ABSENT}
        amounts.add(spec.fee_cents(answers))
    return FeeRange(min(amounts), max(amounts))


def fee_text(spec: FormSpec) -> str:
    """What a page says the fee is before the answers are known ("" when it cannot say)."""
    found = fee_range(spec)
    return found.text() if found else ""


FORM_PATH = re.compile(r"^/forms/([a-z0-9-]+)/$")


def fee_of_form_url(url: str) -> FeeRange | None:
    """The fee range of the published form a catalogue service links to by its path
    (`/forms/<slug>/`), or None (no form of this portal there, no fee, or one without a
    range). The catalogue asks through PORTALWERK_SERVICE_FORM_FEE, as it sits below forms."""
    from django.core.exceptions import ValidationError

    from portalwerk.platform.forms import access

    match = FORM_PATH.match(url or "")
    if match is None:
        return None
    try:
        form = access.get_published_form(match.group(1))
    except ValidationError:
        return None
    return fee_range(form.published_version.spec)
