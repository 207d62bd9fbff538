"""The builder's pages: the draft's steps and questions with a small POST form for every
change, a page per question, per condition and for the fee, confirmation before removing, and
the expert view (the JSON). Each POST calls one service; after a change the page comes back
with the focus on what changed (`?focus=<id>`, the element is focusable and autofocused) and the
change announced (a role=status message); a refused change shows the page again with the
problem on top and what was typed kept."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.forms.builder import definition as d
from portalwerk.platform.forms.builder import pages, services
from portalwerk.platform.forms.models import VersionStatus


def _version(request, form_id, number):
    try:
        return services.get_version_for(request.actor, form_id, number)
    except ValidationError:
        raise Http404 from None


def problems(exc: ValidationError, prefix: str = "") -> list[dict]:
    """A service's errors as the error summary lists them: message and the input's id."""
    found = []
    for name, errors in exc.update_error_dict({}).items():
        for error in errors:
            for message in error.messages if hasattr(error, "messages") else [str(error)]:
                target = "" if name == "__all__" else f"{prefix}{name}"
                found.append({"message": message, "target": target, "name": name})
    return found


def edit_url(version, focus: str = "") -> str:
    url = reverse(
        "form-builder:edit", kwargs={"form_id": version.form_id, "number": version.number}
    )
    return f"{url}?focus={focus}" if focus else url


def done(request, change: services.Change, url: str | None = None):
    messages.success(request, change.message)
    if url is None:
        url = edit_url(change.version, change.anchor)
    return redirect(url)


def base_context(request, version) -> dict:
    lang = get_language()
    return {
        "form": version.form,
        "version": version,
        "is_draft": version.status == VersionStatus.DRAFT,
        "form_title": version.form.title_text(lang),
        "focus": request.GET.get("focus", ""),
    }


@backoffice_site.admin_view
@require_http_methods(["GET", "HEAD"])
def edit(request, form_id, number):
    return _edit_page(request, _version(request, form_id, number))


def _edit_page(request, version, *, errors=None, posted=None, posted_form="", status=200):
    definition = version.definition
    lang = get_language()
    context = {
        **base_context(request, version),
        "steps": pages.steps(definition, lang, edit_url(version)),
        "types": pages.field_types(),
        "fee_words": pages.fee_in_words(definition, lang),
        "sign_in": pages.sign_in(definition),
        "errors": errors or [],
        "posted": posted or {},
        "posted_form": posted_form,
    }
    return render(request, "forms/builder/edit.html", context, status=status)


def _refused(request, form_id, number, exc, prefix, posted_form=""):
    return _edit_page(
        request,
        _version(request, form_id, number),
        errors=problems(exc, prefix),
        posted=request.POST,
        posted_form=posted_form or prefix,
        status=400,
    )


@backoffice_site.admin_view
@require_POST
def add_step(request, form_id, number):
    version = _version(request, form_id, number)
    try:
        change = services.add_step(actor=request.actor, version=version, raw=request.POST)
    except ValidationError as exc:
        return _refused(request, form_id, number, exc, "new-step-")
    return done(request, change)


@backoffice_site.admin_view
@require_POST
def change_step(request, form_id, number, step_key):
    version = _version(request, form_id, number)
    try:
        change = services.change_step(
            actor=request.actor, version=version, step_key=step_key, raw=request.POST
        )
    except ValidationError as exc:
        return _refused(request, form_id, number, exc, f"s-{step_key}-")
    return done(request, change)


@backoffice_site.admin_view
@require_POST
def move_step(request, form_id, number, step_key):
    version = _version(request, form_id, number)
    try:
        change = services.move_step(
            actor=request.actor,
            version=version,
            step_key=step_key,
            direction=request.POST.get("direction", ""),
        )
    except ValidationError as exc:
        return _refused(request, form_id, number, exc, f"s-{step_key}-")
    return done(request, change)


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def remove_step(request, form_id, number, step_key):
    version = _version(request, form_id, number)
    step = d.step(version.definition, step_key)
    if step is None:
        raise Http404
    error = []
    if request.method == "POST":
        try:
            change = services.remove_step(actor=request.actor, version=version, step_key=step_key)
        except ValidationError as exc:
            error = problems(exc)
        else:
            return done(request, change)
    rows = pages.steps(version.definition, get_language(), edit_url(version))
    return render(
        request,
        "forms/builder/remove.html",
        {
            **base_context(request, version),
            "what": next(s for s in rows if s["key"] == step_key),
            "is_step": True,
            "errors": error,
        },
        status=400 if error else 200,
    )


@backoffice_site.admin_view
@require_POST
def set_sign_in(request, form_id, number):
    version = _version(request, form_id, number)
    try:
        change = services.set_sign_in(
            actor=request.actor,
            version=version,
            level=request.POST.get("level", ""),
            account=request.POST.get("account", ""),
        )
    except ValidationError as exc:
        return _refused(request, form_id, number, exc, "sign-in-")
    return done(request, change)


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def expert(request, form_id, number):
    version = _version(request, form_id, number)
    text = json.dumps(version.definition, ensure_ascii=False, indent=2)
    errors = []
    if request.method == "POST":
        text = request.POST.get("definition", "")
        try:
            change = services.save_json(actor=request.actor, version=version, text=text)
        except ValidationError as exc:
            errors = problems(exc, "id_")
            for e in errors:
                e["target"] = "id_definition"
        else:
            messages.success(request, change.message)
            url = reverse("form-builder:expert", kwargs={"form_id": form_id, "number": number})
            return redirect(url)
    return render(
        request,
        "forms/builder/expert.html",
        {**base_context(request, version), "text": text, "errors": errors},
        status=400 if errors else 200,
    )
