"""The builder's pages for one question (its page, moving, removing, the questions of a
repeating group), for conditions (first the question they read, then how and the value) and
for the fee (first the kind and the question, then the amounts)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.forms.builder import definition as d
from portalwerk.platform.forms.builder import fieldedit, pages, services
from portalwerk.platform.forms.builder.views import (
    _refused,
    _version,
    base_context,
    done,
    edit_url,
    problems,
)


def field_url(version, path: str, focus: str = "") -> str:
    url = reverse(
        "form-builder:field",
        kwargs={"form_id": version.form_id, "number": version.number, "path": path},
    )
    return f"{url}?focus={focus}" if focus else url


def _back(change: services.Change, path: str) -> str:
    """Where a change to the question at `path` returns: a group's question to its group's
    page, any other to the builder's page."""
    group, child = d.split(path)
    if child is not None and d.field(change.version.definition, group) is not None:
        return field_url(change.version, group, change.anchor)
    return edit_url(change.version, change.anchor)


def _field_or_404(version, path):
    f = d.field(version.definition, path)
    if f is None:
        raise Http404
    return f


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def field(request, form_id, number, path):
    version = _version(request, form_id, number)
    f = _field_or_404(version, path)
    errors, posted = [], None
    if request.method == "POST":
        try:
            change = services.change_field(
                actor=request.actor, version=version, path=path, raw=request.POST
            )
        except ValidationError as exc:
            errors, posted = problems(exc, "id_"), request.POST
        else:
            return done(request, change, _back(change, change.anchor[6:].replace("-", ".", 1)))
    return _field_page(request, version, path, f, errors, posted)


def _field_page(request, version, path, f, errors, posted):
    lang = get_language()
    known = pages.all_fields(version.definition)
    group, child = d.split(path)
    shown = fieldedit.shown_validation(f)
    label = f.get("label") if isinstance(f.get("label"), dict) else {"de": f.get("label") or ""}
    hint = f.get("hint") if isinstance(f.get("hint"), dict) else {"de": f.get("hint") or ""}
    text = f.get("text") if isinstance(f.get("text"), dict) else {"de": f.get("text") or ""}
    values = {
        "key": child or group,
        "label_de": label.get("de", ""),
        "label_en": label.get("en", ""),
        "hint_de": hint.get("de", ""),
        "hint_en": hint.get("en", ""),
        "text_de": text.get("de", ""),
        "text_en": text.get("en", ""),
        "required": bool(f.get("required")),
        "multiple": bool(f.get("multiple")),
        "min_items": f.get("min_items", ""),
        "max_items": f.get("max_items", ""),
        **shown,
    }
    options = fieldedit.option_rows(f)
    field_errors = {e["name"]: e["message"] for e in errors}
    if posted is not None:
        for name in values:
            if isinstance(values[name], bool):
                values[name] = bool(posted.get(name))
            elif name == "file_types":
                values[name] = posted.getlist(name)
            else:
                values[name] = posted.get(name, "")
        for row in options:
            for part in ("value", "de", "en"):
                name = (
                    f"option_{row['n']}_value" if part == "value" else f"option_{row['n']}_{part}"
                )
                row[part] = posted.get(name, "")
    for row in options:
        row["error_de"] = field_errors.get(f"option_{row['n']}_de", "")
        row["error_value"] = field_errors.get(f"option_{row['n']}_value", "")
    return render(
        request,
        "forms/builder/field.html",
        {
            **base_context(request, version),
            "path": path,
            "group": known.get(group) if child else None,
            "group_path": group if child else "",
            "f": pages.field_row(f, path, known, lang, edit_url(version)),
            "kind": f.get("type"),
            "values": values,
            "options": options,
            "option_count": len(options),
            "file_kinds": ["pdf", "png", "jpeg"],
            "types": [t for t in pages.field_types() if t[0] != "repeat"],
            "errors": errors,
            "field_errors": field_errors,
            "single_child": len(f.get("fields") or []) == 1,
            "posted": request.POST if errors else {},
            "posted_form": "new-" if errors and request.path.endswith("/fields/add/") else "",
            "sourced": bool(f.get("options_from")),
        },
        status=400 if errors else 200,
    )


@backoffice_site.admin_view
@require_POST
def add_field(request, form_id, number, step_key):
    version = _version(request, form_id, number)
    try:
        change = services.add_field(
            actor=request.actor, version=version, step_key=step_key, raw=request.POST
        )
    except ValidationError as exc:
        return _refused(request, form_id, number, exc, f"s-{step_key}-new-")
    return done(request, change)


@backoffice_site.admin_view
@require_POST
def add_child(request, form_id, number, path):
    version = _version(request, form_id, number)
    f = _field_or_404(version, path)
    try:
        change = services.add_field(
            actor=request.actor, version=version, step_key="", raw=request.POST, group=path
        )
    except ValidationError as exc:
        return _field_page(request, version, path, f, problems(exc, "new-"), None)
    return done(request, change, field_url(change.version, path, change.anchor))


@backoffice_site.admin_view
@require_POST
def move_field(request, form_id, number, path):
    version = _version(request, form_id, number)
    try:
        change = services.move_field(
            actor=request.actor,
            version=version,
            path=path,
            direction=request.POST.get("direction", ""),
        )
    except ValidationError as exc:
        group, child = d.split(path)
        if child is not None:
            f = _field_or_404(version, group)
            return _field_page(request, version, group, f, problems(exc), None)
        return _refused(request, form_id, number, exc, "")
    return done(request, change, _back(change, path))


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def remove_field(request, form_id, number, path):
    version = _version(request, form_id, number)
    f = _field_or_404(version, path)
    error = []
    if request.method == "POST":
        try:
            change = services.remove_field(actor=request.actor, version=version, path=path)
        except ValidationError as exc:
            error = problems(exc)
        else:
            return done(request, change, _back(change, path))
    known = pages.all_fields(version.definition)
    users = d.dependents(version.definition, path)
    return render(
        request,
        "forms/builder/remove.html",
        {
            **base_context(request, version),
            "what": pages.field_row(f, path, known, get_language()),
            "is_step": False,
            "in_use": bool(users),
            "errors": error,
            "back": _back(services.Change(version, services.field_anchor(path), ""), path),
        },
        status=400 if error else 200,
    )


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def condition(request, form_id, number, which, target):
    """`which`: show_if or require_if (of the question `target`) or skip_if (of the step)."""
    version = _version(request, form_id, number)
    definition = version.definition
    if which == "skip_if":
        holder = d.step(definition, target)
        candidates = d.fields_before(definition, None, target)
    elif which in ("show_if", "require_if"):
        holder = d.field(definition, target)
        candidates = d.fields_before(definition, target)
    else:
        raise Http404
    if holder is None:
        raise Http404
    errors = []
    chosen = request.GET.get("field")
    if request.method == "POST":
        chosen = request.POST.get("field", "")
        try:
            if which == "skip_if":
                change = services.set_step_condition(
                    actor=request.actor, version=version, step_key=target, raw=request.POST
                )
            else:
                change = services.set_field_condition(
                    actor=request.actor,
                    version=version,
                    path=target,
                    which=which,
                    raw=request.POST,
                )
        except ValidationError as exc:
            errors = problems(exc, "c-")
        else:
            url = edit_url(change.version, change.anchor)
            if which != "skip_if":
                url = _back(change, target)
            return done(request, change, url)
    lang = get_language()
    known = pages.all_fields(definition)
    rule = holder.get(which)
    return render(
        request,
        "forms/builder/condition.html",
        {
            **base_context(request, version),
            "which": which,
            "target": target,
            "what": (
                pages.steps(definition, lang)[d.steps(definition).index(holder)]
                if which == "skip_if"
                else pages.field_row(holder, target, known, lang)
            ),
            "c": pages.condition_form(definition, candidates, rule, chosen, lang),
            "posted": request.POST if errors else {},
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def fee(request, form_id, number):
    version = _version(request, form_id, number)
    errors = []
    kind, key = request.GET.get("kind"), None
    if kind and ":" in kind:  # the first form's radios name the kind and its question at once
        kind, key = kind.split(":", 1)
    if request.method == "POST":
        kind, key = request.POST.get("kind"), request.POST.get("field", "")
        try:
            change = services.set_fee(actor=request.actor, version=version, raw=request.POST)
        except ValidationError as exc:
            errors = problems(exc, "fee-")
        else:
            return done(request, change)
    return render(
        request,
        "forms/builder/fee.html",
        {
            **base_context(request, version),
            "fee": pages.fee_form(version.definition, kind, key, get_language()),
            "posted": request.POST if errors else {},
            "errors": errors,
        },
        status=400 if errors else 200,
    )
