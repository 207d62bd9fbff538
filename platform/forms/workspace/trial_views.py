"""Test mode's pages: the citizen's steps of a version (the same fields, checks and conditions),
the "check your answers" page, and what would have been submitted. See `forms.trial`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.forms import rendering, trial
from portalwerk.platform.forms.fees import format_fee
from portalwerk.platform.forms.services.drafts import step_is_available
from portalwerk.platform.forms.views import GROUP_ACTIONS, _change_items
from portalwerk.platform.forms.workspace import pages


def _step_url(version, step_key: str) -> str:
    return reverse(
        "forms-workspace:test-step",
        kwargs={"form_id": version.form_id, "number": version.number, "step_key": step_key},
    )


def _check_url(version) -> str:
    return reverse(
        "forms-workspace:test-check", kwargs={"form_id": version.form_id, "number": version.number}
    )


def _first_open(run: trial.Trial):
    spec = run.version.spec
    return next(
        (s for s in spec.active_steps(run.answers) if s.key not in run.completed_steps), None
    )


def _refused(request, exc: ValidationError, version):
    """A refusal of the whole test (no right to test forms) as the page that says so."""
    return render(
        request,
        "forms/workspace/test_start.html",
        {
            "version": version,
            "form": version.form,
            "title": version.form.title_text(pages.lang()),
            "errors": pages.summary_of(pages.messages_of(exc)),
        },
        status=403,
    )


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def start(request, form_id: int, number: int):
    version = pages.version_for(request, form_id, number)
    if request.method == "POST":
        try:
            trial.start_trial(actor=request.actor, session=request.session, version=version)
        except ValidationError as exc:
            return _refused(request, exc, version)
        return redirect(_step_url(version, version.spec.steps[0].key))
    return render(
        request,
        "forms/workspace/test_start.html",
        {"version": version, "form": version.form, "title": version.form.title_text(pages.lang())},
    )


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def step(request, form_id: int, number: int, step_key: str):
    version = pages.version_for(request, form_id, number)
    run = trial.load_trial(request.session, version)
    spec = version.spec
    current = spec.step(step_key)
    if current is None or current.is_skipped(run.answers):
        raise Http404
    if not step_is_available(run, step_key):
        first = _first_open(run)
        return redirect(_step_url(version, first.key) if first else _check_url(version))
    errors: dict[str, str] = {}
    values = run.answers
    status = 200
    focus: dict = {}
    if request.method == "POST":
        action = request.POST.get("action", "continue")

        def store_file(path, file):
            return trial.check_trial_file(
                actor=request.actor, session=request.session, trial=run, field_key=path, file=file
            )

        try:
            raw = rendering.read_post(current, request.POST, request.FILES, values, store_file)
            if action.startswith(GROUP_ACTIONS):
                values, focus = _change_items(current, {**values, **raw}, action)
                return _render(request, run, current, values, {}, 200, focus)
            run = trial.answer_trial_step(
                actor=request.actor,
                session=request.session,
                trial=run,
                step_key=step_key,
                raw=raw,
            )
        except ValidationError as exc:
            errors, status = pages.messages_of(exc), 400
            raw = rendering.read_post(current, request.POST, {}, values, lambda path, file: None)
            values = {**values, **raw}
        else:
            following = spec.next_step(run.answers, step_key)
            if following is None or request.GET.get("return") == "check":
                return redirect(_check_url(version))
            return redirect(_step_url(version, following.key))
    return _render(request, run, current, values, errors, status, focus)


def _render(request, run, current, values, errors, status, focus):
    spec = run.version.spec
    lang = pages.lang()
    fields = rendering.step_context(current, values, errors, lang, run.file_names())
    active = spec.active_steps(run.answers)
    position = next((i for i, s in enumerate(active) if s.key == current.key), 0)
    previous = spec.previous_step(run.answers, current.key)
    return render(
        request,
        "forms/workspace/test_step.html",
        {
            "version": run.version,
            "form": run.version.form,
            "form_title": run.version.form.title_text(lang),
            "step_title": current.title_text(lang),
            "fields": fields,
            "errors": rendering.error_list(errors, rendering.paths_in_order(fields)),
            "previous_url": _step_url(run.version, previous.key) if previous else "",
            "position": position + 1,
            "total": len(active),
            "return_to_check": request.GET.get("return") == "check",
            "focus": focus,
        },
        status=status,
    )


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def check(request, form_id: int, number: int):
    version = pages.version_for(request, form_id, number)
    run = trial.load_trial(request.session, version)
    first = _first_open(run)
    if first is not None:
        return redirect(_step_url(version, first.key))
    lang = pages.lang()
    title = version.form.title_text(lang)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            result = trial.submit_trial(actor=request.actor, trial=run, lang=lang)
        except ValidationError as exc:
            errors = pages.messages_of(exc)
        else:
            return render(
                request,
                "forms/workspace/test_result.html",
                {
                    "version": version,
                    "form": version.form,
                    "title": title,
                    "result": result,
                    "fee": format_fee(result.fee_cents) if result.needs_payment else "",
                },
            )
    spec = version.spec
    summary = spec.summary(run.answers, lang, run.file_names())
    for section in summary:
        for row in section["rows"]:
            row["change_url"] = (
                _step_url(version, section["step"].key)
                + "?return=check#"
                + rendering.html_id(row["key"])
            )
    fee = spec.fee_cents(run.answers) if spec.needs_payment else None
    return render(
        request,
        "forms/workspace/test_check.html",
        {
            "version": version,
            "form": version.form,
            "title": title,
            "summary": summary,
            "fee": format_fee(fee) if fee is not None else "",
            "errors": pages.summary_of(errors),
        },
        status=400 if errors else 200,
    )
