"""The form engine: a definition (JSON) turned into steps and fields, and answers validated from it.

Everything a citizen sends is checked here, on the server, from the definition alone: the page, the
GraphQL API and the submit service all call `FormSpec.clean_step` / `FormSpec.clean_all`, so the
messages are the same wherever the answers came from. Values are normalised on the way in
(`"12,5"` → 12.5, `"yes"` → True, `"de89 3704…"` → `"DE893704…"`).

A definition:

    {"steps": [{"key": "person", "title": {"de": "…", "en": "…"}, "skip_if": <logic>,
                "fields": [{"key": "name", "type": "text", "label": {…}, "hint": {…},
                            "required": true, "show_if": <logic>, "require_if": <logic>,
                            "validation": {"min_length": 2, "max_length": 80, "pattern": "…",
                                           "min": 0, "max": 10, "integer": true,
                                           "after": "today-100y", "before": "today",
                                           "file_types": ["pdf", "png"], "max_size": 5000000},
                            "options": [{"value": "a", "label": {…}}],
                            "fields": [...],  # for "repeat"
                            "min_items": 1, "max_items": 5}]}],
     "fee": {"amount": 1500 | <logic giving cents>, "label": {…}}}

Conditions are JSON logic (see `logic.py`); inside a repeating group they see the item first.
"""

from __future__ import annotations

import datetime
import re
from collections import ChainMap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.validators import validate_email
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portalwerk.platform.forms import logic
from portalwerk.platform.forms.errors import FormErrorCode as Code

FIELD_TYPES = {
    "text",
    "textarea",
    "email",
    "phone",
    "number",
    "date",
    "choice",
    "multichoice",
    "yesno",
    "iban",
    "postcode",
    "address",
    "file",
    "info",
    "declaration",
    "repeat",
}
NO_VALUE_TYPES = {"info"}
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()/\-]{4,24}$")
POSTCODE_RE = re.compile(r"^[0-9]{5}$")
IBAN_RE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
IBAN_LENGTHS = {"DE": 22, "AT": 20, "CH": 21, "NL": 18, "FR": 27, "BE": 16, "LU": 20, "DK": 18}
OFFSET_RE = re.compile(r"^today(?:([+-])(\d+)([dmy]))?$")
ADDRESS_PARTS = ("street", "house_number", "postcode", "city")
FILE_KINDS = {"pdf", "png", "jpeg"}
MAX_ITEMS_CAP = 50
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 4000, "email": 254, "phone": 30}


class DefinitionError(ValueError):
    """A definition a clerk wrote that cannot be used; `problems` lists what is wrong."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def localize(text: Any, lang: str | None = None) -> str:
    """`{"de": …, "en": …}` or a plain string, in the active language (German as fallback)."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, Mapping):
        lang = (lang or get_language() or "de")[:2]
        return str(text.get(lang) or text.get("de") or next(iter(text.values()), ""))
    return str(text)


@dataclass(frozen=True)
class FieldError:
    path: str
    code: str
    message: str


@dataclass(frozen=True)
class UploadInfo:
    """What the engine needs to know about an uploaded file (from the upload store)."""

    id: str
    name: str
    kind: str  # sniffed: pdf, png, jpeg
    size: int


UploadLookup = Callable[[list[str]], Mapping[str, UploadInfo]]


def _no_uploads(ids: list[str]) -> Mapping[str, UploadInfo]:
    return {}


def _always(scope: Any) -> bool:
    return True


def _never(scope: Any) -> bool:
    return False


@dataclass
class FieldSpec:
    key: str
    type: str
    label: Any
    hint: Any = None
    required: bool = False
    validation: dict = field(default_factory=dict)
    options: list[dict] = field(default_factory=list)
    children: list[FieldSpec] = field(default_factory=list)
    min_items: int = 0
    max_items: int = 10
    multiple: bool = False
    text: Any = None
    messages: dict = field(default_factory=dict)
    show_if: Callable = _always
    require_if: Callable = _never
    has_show_if: bool = False
    has_require_if: bool = False
    show_vars: frozenset = frozenset()  # the field keys its show_if reads
    option_values: frozenset = frozenset()
    pattern: re.Pattern | None = None

    def label_text(self, lang: str | None = None) -> str:
        return localize(self.label, lang)

    def option_label(self, value: Any, lang: str | None = None) -> str:
        for option in self.options:
            if option["value"] == value:
                return localize(option.get("label", value), lang)
        return str(value)

    @property
    def has_value(self) -> bool:
        return self.type not in NO_VALUE_TYPES

    def is_visible(self, scope: Mapping) -> bool:
        return not self.has_show_if or logic._truthy(self.show_if(scope))

    def is_required(self, scope: Mapping) -> bool:
        return self.required or (self.has_require_if and logic._truthy(self.require_if(scope)))


@dataclass
class StepSpec:
    key: str
    title: Any
    fields: list[FieldSpec]
    skip_if: Callable = _never
    has_skip_if: bool = False

    def title_text(self, lang: str | None = None) -> str:
        return localize(self.title, lang)

    def is_skipped(self, scope: Mapping) -> bool:
        return self.has_skip_if and logic._truthy(self.skip_if(scope))


@dataclass
class FeeSpec:
    amount: Callable
    label: Any = None


# --- parsing a definition -----------------------------------------------------------------


def _compile(rule: Any, where: str, known: set[str], problems: list[str]) -> Callable | None:
    if rule is None:
        return None
    try:
        compiled = logic.compile_logic(rule)
    except (logic.LogicError, TypeError) as exc:
        problems.append(f"{where}: {exc}")
        return None
    for path in logic.variables(rule):
        if path.split(".")[0] not in known:
            problems.append(f"{where}: the condition refers to an unknown field {path!r}")
    return compiled


def _parse_field(
    raw: Any, where: str, known: set[str], problems: list[str], seen: set[str]
) -> FieldSpec | None:
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: a field is an object")
        return None
    key, kind = raw.get("key"), raw.get("type")
    if not isinstance(key, str) or not KEY_RE.match(key):
        problems.append(f"{where}: key {key!r} must be lower case letters, digits and _")
        return None
    where = f"{where} field {key!r}"
    if key in seen:
        problems.append(f"{where}: the key is used twice")
    seen.add(key)
    if kind not in FIELD_TYPES:
        problems.append(f"{where}: unknown type {kind!r}")
        return None
    if kind != "info" and not raw.get("label"):
        problems.append(f"{where}: a label is required")
    unknown = set(raw) - {
        "key",
        "type",
        "label",
        "hint",
        "required",
        "validation",
        "options",
        "fields",
        "min_items",
        "max_items",
        "multiple",
        "text",
        "messages",
        "show_if",
        "require_if",
    }
    if unknown:
        problems.append(f"{where}: unknown properties {sorted(unknown)}")
    validation = raw.get("validation") or {}
    if not isinstance(validation, Mapping):
        problems.append(f"{where}: validation is an object")
        validation = {}
    spec = FieldSpec(
        key=key,
        type=kind,
        label=raw.get("label") or raw.get("text") or key,
        hint=raw.get("hint"),
        required=bool(raw.get("required", False)),
        validation=dict(validation),
        text=raw.get("text"),
        messages=dict(raw.get("messages") or {}),
        multiple=bool(raw.get("multiple", False)),
    )
    pattern = validation.get("pattern")
    if pattern is not None:
        try:
            spec.pattern = re.compile(pattern)
        except (re.error, TypeError) as exc:
            problems.append(f"{where}: the pattern does not compile ({exc})")
    for bound in ("before", "after"):
        value = validation.get(bound)
        if value is not None and _resolve_date(value) is None:
            problems.append(f"{where}: {bound} must be an ISO date or today±N[dmy]")
    file_types = validation.get("file_types")
    if file_types is not None and (
        not isinstance(file_types, list) or not set(file_types) <= FILE_KINDS
    ):
        problems.append(f"{where}: file_types must be a list out of {sorted(FILE_KINDS)}")
    if kind in ("choice", "multichoice"):
        options = raw.get("options")
        if not isinstance(options, list) or not options:
            problems.append(f"{where}: a choice needs options")
            options = []
        values = []
        for option in options:
            if not isinstance(option, Mapping) or not isinstance(option.get("value"), str):
                problems.append(f"{where}: each option has a string value")
                continue
            values.append(option["value"])
        if len(values) != len(set(values)):
            problems.append(f"{where}: option values are unique")
        spec.options = [dict(o) for o in options if isinstance(o, Mapping)]
        spec.option_values = frozenset(values)
    if kind == "repeat":
        children_raw = raw.get("fields")
        if not isinstance(children_raw, list) or not children_raw:
            problems.append(f"{where}: a repeating group needs fields")
            children_raw = []
        child_keys = {c.get("key") for c in children_raw if isinstance(c, Mapping)}
        child_seen: set[str] = set()
        for child in children_raw:
            if isinstance(child, Mapping) and child.get("type") == "repeat":
                problems.append(f"{where}: repeating groups do not nest")
                continue
            parsed = _parse_field(
                child, f"{where} >", known | {k for k in child_keys if k}, problems, child_seen
            )
            if parsed:
                spec.children.append(parsed)
        spec.min_items = int(raw.get("min_items", 1 if spec.required else 0))
        spec.max_items = min(int(raw.get("max_items", 10)), MAX_ITEMS_CAP)
        if spec.min_items > spec.max_items:
            problems.append(f"{where}: min_items is larger than max_items")
    scope_keys = known | {key}
    show = _compile(raw.get("show_if"), f"{where} show_if", scope_keys, problems)
    if show:
        spec.show_if, spec.has_show_if = show, True
        spec.show_vars = frozenset(p.split(".")[0] for p in logic.variables(raw["show_if"]))
    req = _compile(raw.get("require_if"), f"{where} require_if", scope_keys, problems)
    if req:
        spec.require_if, spec.has_require_if = req, True
    return spec


@dataclass
class FormSpec:
    steps: list[StepSpec]
    fee: FeeSpec | None = None
    title: Any = None
    fields_by_key: dict[str, FieldSpec] = field(default_factory=dict)
    step_of: dict[str, str] = field(default_factory=dict)

    # -- building --------------------------------------------------------------------------

    @classmethod
    def from_definition(cls, definition: Any) -> FormSpec:
        problems: list[str] = []
        if not isinstance(definition, Mapping):
            raise DefinitionError(["the definition is a JSON object"])
        unknown = set(definition) - {"title", "description", "steps", "fee"}
        if unknown:
            problems.append(f"unknown properties {sorted(unknown)}")
        steps_raw = definition.get("steps")
        if not isinstance(steps_raw, list) or not steps_raw:
            raise DefinitionError(problems + ["a form has at least one step"])
        all_keys: set[str] = set()
        for step in steps_raw:
            if isinstance(step, Mapping):
                for f in step.get("fields") or []:
                    if isinstance(f, Mapping) and isinstance(f.get("key"), str):
                        all_keys.add(f["key"])
        spec = cls(steps=[], title=definition.get("title"))
        step_keys: set[str] = set()
        seen: set[str] = set()
        for index, step in enumerate(steps_raw):
            where = f"step {index + 1}"
            if not isinstance(step, Mapping):
                problems.append(f"{where}: a step is an object")
                continue
            key = step.get("key")
            if not isinstance(key, str) or not KEY_RE.match(key) or key == "check":
                problems.append(f"{where}: key {key!r} must be lower case letters, digits and _")
                continue
            if key in step_keys:
                problems.append(f"{where}: the step key {key!r} is used twice")
            step_keys.add(key)
            fields_raw = step.get("fields")
            if not isinstance(fields_raw, list) or not fields_raw:
                problems.append(f"{where}: a step has at least one field")
                fields_raw = []
            fields = []
            for raw in fields_raw:
                parsed = _parse_field(raw, where, all_keys, problems, seen)
                if parsed:
                    fields.append(parsed)
                    spec.fields_by_key[parsed.key] = parsed
                    spec.step_of[parsed.key] = key
            step_spec = StepSpec(key=key, title=step.get("title") or key, fields=fields)
            skip = _compile(step.get("skip_if"), f"{where} skip_if", all_keys, problems)
            if skip:
                step_spec.skip_if, step_spec.has_skip_if = skip, True
            spec.steps.append(step_spec)
        fee = definition.get("fee")
        if fee is not None:
            if not isinstance(fee, Mapping) or "amount" not in fee:
                problems.append("fee: an object with an amount (in cents, or a condition)")
            else:
                amount = fee["amount"]
                if isinstance(amount, (int, float)) and not isinstance(amount, bool):
                    fixed = int(amount)
                    spec.fee = FeeSpec(amount=lambda scope: fixed, label=fee.get("label"))
                else:
                    compiled = _compile(amount, "fee", all_keys, problems)
                    if compiled:
                        spec.fee = FeeSpec(amount=compiled, label=fee.get("label"))
        if problems:
            raise DefinitionError(problems)
        return spec

    # -- reading ---------------------------------------------------------------------------

    def step(self, key: str) -> StepSpec | None:
        return next((s for s in self.steps if s.key == key), None)

    def active_steps(self, answers: Mapping) -> list[StepSpec]:
        return [s for s in self.steps if not s.is_skipped(answers)]

    def next_step(self, answers: Mapping, after: str | None) -> StepSpec | None:
        """The step after `after` that is not skipped (the first one if `after` is None)."""
        passed = after is None
        for step in self.steps:
            if passed and not step.is_skipped(answers):
                return step
            if step.key == after:
                passed = True
        return None

    def previous_step(self, answers: Mapping, before: str) -> StepSpec | None:
        previous = None
        for step in self.steps:
            if step.key == before:
                return previous
            if not step.is_skipped(answers):
                previous = step
        return None

    def fee_cents(self, answers: Mapping) -> int:
        if self.fee is None:
            return 0
        value = self.fee.amount(answers)
        try:
            return max(0, int(Decimal(str(value)).quantize(Decimal(1))))
        except (InvalidOperation, TypeError, ValueError):
            return 0

    @property
    def needs_payment(self) -> bool:
        return self.fee is not None

    # -- validating ------------------------------------------------------------------------

    def clean_step(
        self,
        step_key: str,
        raw: Mapping[str, Any],
        answers: Mapping[str, Any],
        uploads: UploadLookup = _no_uploads,
        strict: bool = True,
    ) -> tuple[dict[str, Any], list[FieldError]]:
        """Validate one step's raw values against the answers given so far.

        Returns the step's cleaned values (hidden fields dropped) and the errors. With `strict`,
        a key that is not a field of this step is an error (the API); pages pass `strict=False`
        as their POST carries a CSRF token and buttons besides the fields.
        """
        step = self.step(step_key)
        if step is None:
            return {}, [FieldError("", Code.STEP_NOT_AVAILABLE, _("This step does not exist."))]
        errors: list[FieldError] = []
        if strict:
            own = {f.key for f in step.fields if f.has_value}
            for key in raw:
                if key not in own:
                    errors.append(
                        FieldError(key, Code.UNKNOWN_FIELD, _("This is not a question here."))
                    )
        # Fields are cleaned in order, and a condition sees the clean values of the fields
        # above it on the same step as well as the earlier steps' answers.
        cleaned: dict[str, Any] = {}
        scope = ChainMap(cleaned, _without(answers, step))
        for f in step.fields:
            if not f.has_value or not f.is_visible(scope):
                continue
            value = _clean_field(f, raw.get(f.key), f.key, scope, uploads, errors)
            if value is not None:
                cleaned[f.key] = value
        return cleaned, errors

    def clean_all(
        self, answers: Mapping[str, Any], uploads: UploadLookup = _no_uploads
    ) -> tuple[dict[str, Any], list[FieldError]]:
        """Validate complete answers: every active step, unknown keys refused, hidden dropped."""
        errors: list[FieldError] = []
        for key in answers:
            if key not in self.fields_by_key or not self.fields_by_key[key].has_value:
                errors.append(
                    FieldError(key, Code.UNKNOWN_FIELD, _("This is not a question of this form."))
                )
        cleaned: dict[str, Any] = {}
        for step in self.steps:
            if step.is_skipped(cleaned):
                continue
            own = {f.key: answers[f.key] for f in step.fields if f.key in answers}
            step_values, step_errors = self.clean_step(
                step.key, own, cleaned, uploads, strict=False
            )
            cleaned.update(step_values)
            errors.extend(step_errors)
        return cleaned, errors

    def upload_ids(self, answers: Mapping[str, Any]) -> list[str]:
        """Every upload id referred to by the answers (files in groups too)."""
        found: list[str] = []

        def walk(fields: list[FieldSpec], values: Mapping) -> None:
            for f in fields:
                value = values.get(f.key)
                if value in (None, "", []):
                    continue
                if f.type == "file":
                    found.extend(value if isinstance(value, list) else [value])
                elif f.type == "repeat" and isinstance(value, list):
                    for item in value:
                        if isinstance(item, Mapping):
                            walk(f.children, item)

        for step in self.steps:
            walk(step.fields, answers)
        return [str(i) for i in found]

    def summary(
        self,
        answers: Mapping[str, Any],
        lang: str | None = None,
        file_names: Mapping[str, str] | None = None,
    ) -> list[dict]:
        """Answers for display (check answers page, receipt, clerk detail, export):
        `[{"step": StepSpec, "rows": [{"key", "label", "value"(str), "path"}]}]`."""
        out = []
        for step in self.steps:
            if step.is_skipped(answers):
                continue
            rows = []
            for f in step.fields:
                if not f.has_value or f.key not in answers:
                    continue
                if f.type == "repeat":
                    for index, item in enumerate(answers[f.key]):
                        for child in f.children:
                            if child.has_value and child.key in item:
                                rows.append(
                                    {
                                        "key": f"{f.key}.{index}.{child.key}",
                                        "field": f.key,
                                        "label": f"{f.label_text(lang)} {index + 1}: "
                                        f"{child.label_text(lang)}",
                                        "value": display_value(
                                            child, item[child.key], lang, file_names
                                        ),
                                    }
                                )
                    continue
                rows.append(
                    {
                        "key": f.key,
                        "field": f.key,
                        "label": f.label_text(lang),
                        "value": display_value(f, answers[f.key], lang, file_names),
                    }
                )
            out.append({"step": step, "title": step.title_text(lang), "rows": rows})
        return out


def display_value(
    f: FieldSpec, value: Any, lang: str | None = None, file_names: Mapping[str, str] | None = None
) -> str:
    if f.type == "yesno":
        return _("Yes") if value else _("No")
    if f.type == "declaration":
        return _("Confirmed") if value else ""
    if f.type == "choice":
        return f.option_label(value, lang)
    if f.type == "multichoice":
        return ", ".join(f.option_label(v, lang) for v in value)
    if f.type == "address" and isinstance(value, Mapping):
        street = " ".join(str(value.get(k, "")) for k in ("street", "house_number")).strip()
        town = " ".join(str(value.get(k, "")) for k in ("postcode", "city")).strip()
        return ", ".join(p for p in (street, town) if p)
    if f.type == "date" and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    if f.type == "number" and isinstance(value, float):
        return (
            f"{value:g}".replace(".", ",")
            if (lang or get_language() or "de")[:2] == "de"
            else (f"{value:g}")
        )
    if f.type == "file":
        ids = value if isinstance(value, list) else [value]
        return ", ".join((file_names or {}).get(str(i), str(i)) for i in ids)
    return str(value)


# --- cleaning one value -------------------------------------------------------------------


def _without(answers: Mapping[str, Any], step: StepSpec) -> Mapping[str, Any]:
    """Earlier answers without this step's own (stale) values."""
    own = {f.key for f in step.fields}
    if not own & set(answers):
        return answers
    return {k: v for k, v in answers.items() if k not in own}


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


def _message(f: FieldSpec, code: str, default: str) -> str:
    custom = f.messages.get(code)
    return localize(custom) if custom else default


def _required_message(f: FieldSpec) -> str:
    label = f.label_text()
    if f.type in ("choice", "multichoice", "yesno"):
        default = _("Select an answer for “%(label)s”.") % {"label": label}
    elif f.type == "file":
        default = _("Upload a file for “%(label)s”.") % {"label": label}
    elif f.type == "declaration":
        default = _("Confirm “%(label)s” to continue.") % {"label": label}
    elif f.type == "repeat":
        default = _("Add at least one entry to “%(label)s”.") % {"label": label}
    else:
        default = _("Enter “%(label)s”.") % {"label": label}
    return _message(f, "required", default)


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
    if isinstance(value, str):
        value = value.strip()
        german = re.match(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$", value)
        if german:
            day, month, year = (int(x) for x in german.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                return None
        if re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                return None
    return None


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


def file_type_message(label: str, allowed: set[str]) -> str:
    kinds = ", ".join(k.upper() for k in sorted(allowed))
    return _("The file for “%(label)s” must be a %(kinds)s.") % {"label": label, "kinds": kinds}


def file_size_message(label: str, max_size: int) -> str:
    return _("The file for “%(label)s” must be smaller than %(mb)s MB.") % {
        "label": label,
        "mb": f"{max_size / 1_000_000:g}",
    }


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
