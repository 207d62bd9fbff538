"""Test mode: a clerk answers a version of a form (a draft too) step by step, as a citizen would,
and "submits" it, to see what the office would receive.

The same engine checks every answer, the same conditions skip steps and hide fields and the
same calculation makes the fee, but nothing is written: the answers live in the clerk's
session (`Trial`), an uploaded file is checked (size, sniffed type) and then dropped, and
submitting only cleans the answers as `submit_draft` would and shows the result. No
submission, no reference number, no hand-over, no mail, no payment, no job."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.forms import uploads as upload_store
from portalwerk.platform.forms.engine.messages import file_size_message, file_type_message
from portalwerk.platform.forms.engine.specs import FILE_KINDS, UploadInfo
from portalwerk.platform.forms.errors import FormErrorCode as Code
from portalwerk.platform.forms.models import FormVersion
from portalwerk.platform.forms.services.checks import _error, _require_manager, field_errors
from portalwerk.platform.forms.services.drafts import step_is_available
from portalwerk.platform.forms.services.files import _file_field
from portalwerk.platform.forms.services.submitting import _applicant

SESSION_KEY = "form_trials"
MAX_TRIALS = 5  # per session: the oldest is forgotten first


@dataclass
class Trial:
    """A test run's answers. Shaped like a `Draft` where the engine's helpers read one."""

    version: FormVersion
    answers: dict[str, Any] = field(default_factory=dict)
    completed_steps: list[str] = field(default_factory=list)
    files: dict[str, dict] = field(default_factory=dict)  # id -> name, kind, size

    def file_names(self) -> dict[str, str]:
        return {key: info["name"] for key, info in self.files.items()}

    def lookup(self, ids: list[str]) -> Mapping[str, UploadInfo]:
        return {
            i: UploadInfo(i, self.files[i]["name"], self.files[i]["kind"], self.files[i]["size"])
            for i in ids
            if i in self.files
        }


def load_trial(session, version: FormVersion) -> Trial:
    kept = (session.get(SESSION_KEY) or {}).get(str(version.pk)) or {}
    return Trial(
        version=version,
        answers=dict(kept.get("answers") or {}),
        completed_steps=list(kept.get("completed_steps") or []),
        files=dict(kept.get("files") or {}),
    )


def _keep(session, trial: Trial) -> None:
    kept = {k: v for k, v in (session.get(SESSION_KEY) or {}).items() if k != str(trial.version.pk)}
    kept = dict(list(kept.items())[-(MAX_TRIALS - 1) :])
    kept[str(trial.version.pk)] = {
        "answers": trial.answers,
        "completed_steps": trial.completed_steps,
        "files": trial.files,
    }
    session[SESSION_KEY] = kept


def start_trial(*, actor: Actor, session, version: FormVersion) -> Trial:
    """A fresh test run of `version` (any status: a draft is what clerks test most)."""
    _require_manager(actor)
    trial = Trial(version=version)
    _keep(session, trial)
    return trial


def check_trial_file(*, actor: Actor, session, trial: Trial, field_key: str, file) -> str:
    """A file for a file field, checked as a citizen's is (size, type sniffed from the
    content) and then dropped: the test run keeps its name, type and size only."""
    _require_manager(actor)
    spec_field = _file_field(trial.version.spec, field_key)
    if spec_field is None:
        raise _error(Code.UNKNOWN_FIELD, _("This is not a question here."), field_key)
    label = spec_field.label_text()
    limit = min(
        settings.PORTALWERK_UPLOAD_MAX_BYTES,
        spec_field.validation.get("max_size") or settings.PORTALWERK_UPLOAD_MAX_BYTES,
    )
    allowed = set(spec_field.validation.get("file_types") or FILE_KINDS)
    if file.size > limit:
        raise _error(Code.FILE_TOO_LARGE, file_size_message(label, limit), field_key)
    file.seek(0)
    kind = upload_store.sniff(file.read(16))
    if kind is None or kind not in allowed:
        raise _error(Code.FILE_TYPE, file_type_message(label, allowed), field_key)
    key = "test-" + secrets.token_hex(8)
    name = upload_store.safe_name(getattr(file, "name", ""), kind)
    trial.files[key] = {"name": name, "kind": kind, "size": file.size}
    _keep(session, trial)
    return key


def answer_trial_step(
    *, actor: Actor, session, trial: Trial, step_key: str, raw: Mapping[str, Any]
) -> Trial:
    """One step's answers, checked as `save_step` checks a citizen's."""
    _require_manager(actor)
    spec = trial.version.spec
    step = spec.step(step_key)
    if step is None or step.is_skipped(trial.answers):
        raise _error(Code.STEP_NOT_AVAILABLE, _("This step does not exist in this form."))
    if not step_is_available(trial, step_key):
        raise _error(Code.STEP_OUT_OF_ORDER, _("Answer the earlier questions first."))
    values, errors = spec.clean_step(step_key, raw, trial.answers, trial.lookup, strict=False)
    if errors:
        raise field_errors(errors)
    own = {f.key for f in step.fields}
    trial.answers = {k: v for k, v in trial.answers.items() if k not in own} | values
    if step_key not in trial.completed_steps:
        trial.completed_steps = [*trial.completed_steps, step_key]
    _keep(session, trial)
    return trial


@dataclass(frozen=True)
class TrialResult:
    """What would have been submitted."""

    summary: list[dict]
    fee_cents: int
    needs_payment: bool
    applicant_name: str
    email: str


def submit_trial(*, actor: Actor, trial: Trial, lang: str | None = None) -> TrialResult:
    """Clean every answer as `submit_draft` does and say what the office would receive.
    Writes nothing."""
    _require_manager(actor)
    spec = trial.version.spec
    missing = [s for s in spec.active_steps(trial.answers) if s.key not in trial.completed_steps]
    if missing:
        raise _error(Code.INCOMPLETE, _("Answer every step first."))
    cleaned, errors = spec.clean_all(trial.answers, trial.lookup)
    if errors:
        raise field_errors(errors)
    name, email = _applicant(spec, cleaned, None)
    return TrialResult(
        summary=spec.summary(cleaned, lang, trial.file_names()),
        fee_cents=spec.fee_cents(cleaned),
        needs_payment=spec.needs_payment,
        applicant_name=name,
        email=email,
    )
