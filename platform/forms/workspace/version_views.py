"""One version of a form: the preview as citizens see it (desktop and phone width), publishing
after the differences to the published version are shown, comparing any two versions, and a
version as a file (export) and a file as a form (import)."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.forms import diff, exchange, rendering
from portalwerk.platform.forms.fees import fee_range
from portalwerk.platform.forms.models import Form, VersionStatus
from portalwerk.platform.forms.services import publishing
from portalwerk.platform.forms.services.signing_in import requirement_text
from portalwerk.platform.forms.workspace import pages

# The phone width is that of a small phone; the desktop one that of a common laptop screen.
WIDTHS = {"desktop": 1280, "phone": 360}


@backoffice_site.admin_view
def preview(request, form_id: int, number: int):
    version = pages.version_for(request, form_id, number)
    return render(
        request,
        "forms/workspace/preview.html",
        {
            "version": version,
            "form": version.form,
            "title": version.form.title_text(pages.lang()),
            "widths": WIDTHS,
        },
    )


@backoffice_site.admin_view
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
def preview_frame(request, form_id: int, number: int):
    """The version's start page and every step in the citizen's page frame, for the preview's
    frames (framed by our own pages only)."""
    version = pages.version_for(request, form_id, number)
    lang = pages.lang()
    spec = version.spec
    steps = [
        {
            "title": step.title_text(lang),
            "key": step.key,
            "conditional": step.has_skip_if,
            "fields": rendering.step_context(step, {}, {}, lang, {}),
        }
        for step in spec.steps
    ]
    return render(
        request,
        "forms/workspace/preview_frame.html",
        {
            "version": version,
            "title": version.form.title_text(lang),
            "description": version.form.description_text(lang),
            "steps": steps,
            "needs_payment": spec.needs_payment,
            "fee": fee_range(spec),
            "sign_in_text": requirement_text(spec.sign_in),
        },
    )


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def publish(request, form_id: int, number: int):
    """The differences to the published version in words, then "publish"."""
    version = pages.version_for(request, form_id, number)
    form = version.form
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            publishing.publish_version(actor=request.actor, version=version)
        except ValidationError as exc:
            errors = pages.messages_of(exc)
        else:
            messages.success(
                request,
                _("Version %(number)s is published. Citizens get it from now on.")
                % {"number": version.number},
            )
            return redirect("forms-workspace:form", form_id=form.pk)
    published = form.versions.filter(status=VersionStatus.PUBLISHED).first()
    changes = diff.compare(
        published.definition if published else None, version.definition, pages.lang()
    )
    return render(
        request,
        "forms/workspace/publish.html",
        {
            "form": form,
            "title": form.title_text(pages.lang()),
            "version": version,
            "published": published,
            "changes": changes,
            "errors": pages.summary_of({k or "": v for k, v in errors.items()}),
        },
        status=400 if errors else 200,
    )


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 9 else None


@backoffice_site.admin_view
def compare(request, form_id: int):
    form = pages.form_for(request, form_id)
    versions = list(form.versions.order_by("-number"))
    by_number = {v.number: v for v in versions}
    published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    newest = versions[0] if versions else None
    default_from = published if published and published != newest else None
    if default_from is None and len(versions) > 1:
        default_from = versions[1]
    old = by_number.get(_number(request.GET.get("from", ""))) or default_from
    new = by_number.get(_number(request.GET.get("to", ""))) or newest
    changes = diff.compare(old.definition, new.definition, pages.lang()) if old and new else []
    return render(
        request,
        "forms/workspace/diff.html",
        {
            "form": form,
            "title": form.title_text(pages.lang()),
            "versions": versions,
            "old": old,
            "new": new,
            "changes": changes,
        },
    )


@backoffice_site.admin_view
def export(request, form_id: int, number: int):
    version = pages.version_for(request, form_id, number)
    response = HttpResponse(
        exchange.export_bytes(version.form, version), content_type="application/json"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, exchange.file_name(version.form, version)
    )
    return response


@backoffice_site.admin_view
@require_http_methods(["GET", "POST"])
def import_file(request):
    """A file in: refused with what is wrong with it, or a new form; when a form with its
    address name exists, the clerk is asked whether the file is a new draft version of that form
    or a new form under another name (the file's content rides along in the question's form)."""
    errors: dict[str, str] = {}
    existing: Form | None = None
    content = ""
    status = 200
    if request.method == "POST":
        data = _posted_file(request)
        choice = request.POST.get("choice", "")
        try:
            if data is None:
                raise exchange.Code.INVALID_FILE.error(_("Choose a file to import."), "file")
            into = None
            if choice == "draft":
                into = Form.objects.filter(slug=exchange.read_file(data).slug).first()
            version = exchange.import_form(
                actor=request.actor,
                data=data,
                slug=request.POST.get("slug", "").strip() if choice == "new" else "",
                into=into,
            )
        except ValidationError as exc:
            errors, status = pages.messages_of(exc), 400
            if data is not None and (choice or exchange.Code.FORM_EXISTS in _codes(exc)):
                existing = _existing(data)
            if existing is not None:
                content = data.decode("utf-8-sig")
                if not choice:
                    errors, status = {}, 200  # a question, not a mistake
        else:
            messages.success(
                request,
                _("The file is imported as draft version %(number)s: review it and publish it.")
                % {"number": version.number},
            )
            return redirect("forms-workspace:form", form_id=version.form_id)
    return render(
        request,
        "forms/workspace/import.html",
        {
            "errors": pages.summary_of(errors, {"slug": "f-slug", "file": "f-file"}),
            "errors_by": errors,
            "existing": existing,
            "existing_title": existing.title_text(pages.lang()) if existing else "",
            "content": content,
            "max_kb": exchange.MAX_BYTES // 1000,
        },
        status=status,
    )


def _posted_file(request) -> bytes | None:
    """The uploaded file, or the content carried along by the question; at most one byte more
    than an export may have, so that a larger one is refused without being read whole."""
    upload = request.FILES.get("file")
    if upload is not None:
        return upload.read(exchange.MAX_BYTES + 1)
    content = request.POST.get("content", "")
    return content.encode() if content else None


def _existing(data: bytes) -> Form | None:
    try:
        return Form.objects.filter(slug=exchange.read_file(data).slug).first()
    except ValidationError:
        return None


def _codes(exc: ValidationError) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}
