"""`FormSpec`, a whole form: built from a definition, its steps and fee read against the answers,
the answers validated step by step or all at once, and summarised for display."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portalwerk.platform.forms import logic
from portalwerk.platform.forms.engine import sourcing
from portalwerk.platform.forms.engine.bounds import answers_problem
from portalwerk.platform.forms.engine.fieldtypes.base import nul_message
from portalwerk.platform.forms.engine.parsing import KEY_RE, _compile, _parse_field
from portalwerk.platform.forms.engine.signin import NO_REQUIREMENT, SignInRequirement, parse_sign_in
from portalwerk.platform.forms.engine.specs import (
    DefinitionError,
    FeeSpec,
    FieldError,
    FieldSpec,
    StepSpec,
    UploadLookup,
    _no_uploads,
)
from portalwerk.platform.forms.errors import FormErrorCode as Code


@dataclass
class FormSpec:
    steps: list[StepSpec]
    fee: FeeSpec | None = None
    title: Any = None
    fields_by_key: dict[str, FieldSpec] = field(default_factory=dict)
    step_of: dict[str, str] = field(default_factory=dict)
    sign_in: SignInRequirement = NO_REQUIREMENT

    # -- building --------------------------------------------------------------------------

    @classmethod
    def from_definition(cls, definition: Any) -> FormSpec:
        problems: list[str] = []
        if not isinstance(definition, Mapping):
            raise DefinitionError(["the definition is a JSON object"])
        unknown = set(definition) - {"title", "description", "steps", "fee", "sign_in"}
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
        spec = cls(
            steps=[],
            title=definition.get("title"),
            sign_in=parse_sign_in(definition.get("sign_in"), problems),
        )
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
                        spec.fee = FeeSpec(
                            amount=compiled,
                            label=fee.get("label"),
                            variables=frozenset(logic.variables(amount)),
                        )
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

    def prefilled(
        self,
        known: Mapping[str, Any],
        answers: Mapping[str, Any],
        sourced: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """`answers` with the fields that ask for a prefill (`known`: source -> value, a text
        or, for "address", a dict of parts; `sourced`: field key -> value, `source_prefills`)
        filled in where the citizen has not answered them yet."""
        filled = dict(answers)
        sourced = sourced or {}
        for step in self.steps:
            for f in step.fields:
                value = known.get(f.prefill) if f.prefill else sourced.get(f.key)
                if value and filled.get(f.key) in (None, ""):
                    filled[f.key] = value
        return filled

    def warm_sources(self, step_key: str | None = None) -> None:
        """Ask the data sources of a step's (or the form's) sourced options now, so that the
        cleaning that follows in a transaction finds them kept and waits for no network."""
        for step in (
            self.steps if step_key is None else [s for s in self.steps if s.key == step_key]
        ):
            for f in step.fields:
                if f.options_from:
                    sourcing.options(f.options_from)

    def source_prefills(self) -> dict[str, Any]:
        """Field key -> the value its data source gives (`prefill_from`); a source that fails
        gives nothing, and the field simply stays empty. Asks the network: call it outside a
        transaction."""
        found = {}
        for step in self.steps:
            for f in step.fields:
                if f.prefill_from:
                    value = sourcing.value(f.prefill_from["source"], f.prefill_from["value"])
                    if value:
                        found[f.key] = value
        return found

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
        problem = self._bounds_problem(raw)
        if problem is not None:
            return {}, [problem]
        errors: list[FieldError] = []
        if strict:
            own = {f.key for f in step.fields if f.has_value}
            unknown = _unknown_keys_error(raw, own, _("This is not a question here."))
            if unknown is not None:
                errors.append(unknown)
        # Fields are cleaned in order, and a condition sees the clean values of the fields
        # above it on the same step as well as the earlier steps' answers.
        cleaned: dict[str, Any] = {}
        scope = ChainMap(cleaned, _without(answers, step))
        for f in step.fields:
            if not f.has_value or not f.is_visible(scope):
                continue
            value = f.field_type.clean(f, raw.get(f.key), f.key, scope, uploads, errors)
            if value is not None:
                cleaned[f.key] = value
        return cleaned, errors

    def clean_all(
        self, answers: Mapping[str, Any], uploads: UploadLookup = _no_uploads
    ) -> tuple[dict[str, Any], list[FieldError]]:
        """Validate complete answers: every active step, unknown keys refused, hidden dropped."""
        problem = self._bounds_problem(answers)
        if problem is not None:
            return {}, [problem]
        errors: list[FieldError] = []
        own = {key for key, f in self.fields_by_key.items() if f.has_value}
        unknown = _unknown_keys_error(answers, own, _("This is not a question of this form."))
        if unknown is not None:
            errors.append(unknown)
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

    def _bounds_problem(self, raw: Any) -> FieldError | None:
        """The bounds' error, worded with the question's label where the NUL is in an answer to a
        known question: the citizen reads which field to correct."""
        problem = answers_problem(raw)
        if problem is None or problem.code != Code.INVALID_CHARACTER:
            return problem
        spec = self.fields_by_key.get(problem.path.split(".", 1)[0])
        if spec is None:
            return problem
        return FieldError(problem.path, problem.code, nul_message(spec))

    def upload_ids(self, answers: Mapping[str, Any]) -> list[str]:
        """Every upload id referred to by the answers (files in groups too)."""
        found: list = []
        for step in self.steps:
            for f in step.fields:
                value = answers.get(f.key)
                if value not in (None, "", []):
                    found.extend(f.field_type.upload_ids(f, value))
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
                if f.has_value and f.key in answers:
                    rows.extend(f.field_type.summary_rows(f, answers[f.key], lang, file_names))
            out.append({"step": step, "title": step.title_text(lang), "rows": rows})
        return out


def display_value(
    f: FieldSpec, value: Any, lang: str | None = None, file_names: Mapping[str, str] | None = None
) -> str:
    return f.field_type.display(f, value, lang, file_names)


def _unknown_keys_error(raw: Mapping, own: set[str], message: str) -> FieldError | None:
    """One error for every key that is no question, at the first of them: a client sending
    thousands gets one answer, not thousands."""
    unknown = [key for key in raw if key not in own]
    if not unknown:
        return None
    if len(unknown) > 1:
        message = ngettext(
            "%(count)s answer is not a question here.",
            "%(count)s answers are not questions here.",
            len(unknown),
        ) % {"count": len(unknown)}
    return FieldError(str(unknown[0]), Code.UNKNOWN_FIELD, message)


def _without(answers: Mapping[str, Any], step: StepSpec) -> Mapping[str, Any]:
    """Earlier answers without this step's own (stale) values."""
    own = {f.key for f in step.fields}
    if not own & set(answers):
        return answers
    return {k: v for k, v in answers.items() if k not in own}
