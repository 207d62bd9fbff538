"""The forms list, a new form (from scratch or from the library), a form's page (settings and
versions), a new draft version, and withdrawing a form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.forms.models import Draft, VersionStatus
from portalwerk.platform.forms.services import publishing
from portalwerk.platform.forms.services.form_settings import create_blank_form, update_form_settings
from portalwerk.platform.forms.workspace import pages


@backoffice_site.admin_view
def form_list(request):
    return render(request, "forms/workspace/list.html", {"forms": pages.forms_overview()})


def _library(lang: str) -> list[dict]:
    from portalwerk.platform.formlibrary.models import FormTemplate
    from portalwerk.platform.forms.engine.specs import localize

    return [
        {
            "key": t.key,
            "title": localize(t.title, lang),
            "description": localize(t.description, lang) if t.description else "",
        }
        for t in FormTemplate.objects.order_by("key")
    ]


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def new(request):
    """A new form: from scratch (its settings; the builder adds the questions) or a copy of a
    library template."""
    errors: dict[str, str] = {}
    lib_errors: dict[str, str] = {}
    status = 200
    from_library = request.POST.get("source") == "library"
    if request.method == "POST":
        try:
            if from_library:
                form = publishing.adopt_template(
                    actor=request.actor,
                    key=request.POST.get("template", ""),
                    slug=request.POST.get("library_slug", "").strip() or None,
                )
            else:
                form = create_blank_form(
                    actor=request.actor,
                    slug=request.POST.get("slug", ""),
                    **pages.settings_from_post(request.POST),
                )
        except ValidationError as exc:
            status = 400
            if from_library:
                lib_errors = {
                    {"slug": "library_slug", "": "template"}.get(k, k): v
                    for k, v in pages.messages_of(exc).items()
                }
            else:
                errors = pages.messages_of(exc)
        else:
            messages.success(
                request,
                _("The form is made. Version 1 is a draft: add questions, test and publish it."),
            )
            return redirect("forms-workspace:form", form_id=form.pk)
    posted = pages.values_from_post(request.POST)
    context = pages.settings_context(
        posted if request.method == "POST" and not from_library else pages.values_of(None), errors
    )
    context.update(
        {
            "errors": pages.summary_of(
                errors or lib_errors, {"title": "f-title_de", "template": "f-template-1"}
            ),
            "library": _library(pages.lang()),
            "lib_values": posted if from_library else {},
            "lib_errors": lib_errors,
        }
    )
    return render(request, "forms/workspace/new.html", context, status=status)


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def form_page(request, form_id: int):
    form = pages.form_for(request, form_id)
    errors: dict[str, str] = {}
    status = 200
    values = pages.values_of(form)
    if request.method == "POST":
        values = pages.values_from_post(request.POST)
        try:
            update_form_settings(
                actor=request.actor, form=form, **pages.settings_from_post(request.POST)
            )
        except ValidationError as exc:
            errors, status = pages.messages_of(exc), 400
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("forms-workspace:form", form_id=form.pk)
    versions = pages.versions_of(form)
    context = pages.settings_context(values, errors)
    context.update(
        {
            "form": form,
            "title": form.title_text(pages.lang()),
            "versions": versions,
            "published": next((v for v in versions if v.status == VersionStatus.PUBLISHED), None),
            "draft": next((v for v in versions if v.status == VersionStatus.DRAFT), None),
            "library_update": publishing.template_update_available(form),
        }
    )
    return render(request, "forms/workspace/form.html", context, status=status)


@backoffice_site.admin_view
@require_POST
def new_version(request, form_id: int):
    form = pages.form_for(request, form_id)
    try:
        if request.POST.get("from") == "library":
            version = publishing.update_from_template(actor=request.actor, form=form)
        else:
            version = publishing.new_draft_version(actor=request.actor, form=form)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Version %(number)s is a draft: change it, test it and publish it.")
            % {"number": version.number},
        )
    return redirect("forms-workspace:form", form_id=form.pk)


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def withdraw(request, form_id: int):
    """Asks first, saying what withdrawing does to citizens and their drafts."""
    form = pages.form_for(request, form_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            publishing.withdraw_form(actor=request.actor, form=form)
        except ValidationError as exc:
            errors = pages.messages_of(exc)
        else:
            messages.success(request, _("The form is withdrawn: citizens can no longer use it."))
            return redirect("forms-workspace:form", form_id=form.pk)
    drafts = Draft.objects.filter(version__form=form).aggregate(n=Count("pk"))["n"]
    return render(
        request,
        "forms/workspace/withdraw.html",
        {
            "form": form,
            "title": form.title_text(pages.lang()),
            "drafts": drafts,
            "submissions": form.submissions.count(),
            "errors": pages.summary_of(errors),
        },
        status=400 if errors else 200,
    )
