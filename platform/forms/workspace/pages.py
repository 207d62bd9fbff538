"""What the workspace's pages share: the form and version a URL names (inside the tenant and the
clerk's rights, one "not found"), errors for the summary, and the reads they list."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.utils.translation import get_language

from portalwerk.platform.forms import access
from portalwerk.platform.forms.models import Form, FormVersion, RetentionAction, VersionStatus


def lang() -> str:
    return (get_language() or "de")[:2]


def form_for(request, form_id) -> Form:
    try:
        return access.get_form_for_clerk(request.actor, form_id)
    except ValidationError:
        raise Http404 from None


def version_for(request, form_id, number) -> FormVersion:
    form = form_for(request, form_id)
    version = form.versions.filter(number=number).first()
    if version is None:
        raise Http404
    version.form = form
    return version


def messages_of(exc: ValidationError) -> dict[str, str]:
    """A service's ValidationError as {field: first message} ("" for the whole form)."""
    if hasattr(exc, "error_dict"):
        return {
            ("" if name == "__all__" else name): errors[0].messages[0]
            for name, errors in exc.error_dict.items()
        }
    return {"": exc.messages[0]}


def summary_of(errors: dict[str, str], ids: dict[str, str] | None = None) -> list[dict]:
    """Errors for forms/includes/errors.html, each linked to its field (`f-<name>`)."""
    ids = ids or {}
    return [
        {"href": ("#" + ids.get(name, f"f-{name}")) if name else "", "message": message}
        for name, message in errors.items()
    ]


def catalogue_services() -> list[tuple[str, str]]:
    from portalwerk.platform.catalog.models import Service

    english = lang() == "en"
    return [
        (slug, (name_en if english and name_en else name_de))
        for slug, name_de, name_en in Service.objects.order_by("name_de").values_list(
            "slug", "name_de", "name_en"
        )
    ]


SETTINGS_FIELDS = ("retention_days", "retention_action", "draft_days", "processing_days")


def settings_from_post(post) -> dict:
    return {
        "title": {"de": post.get("title_de", ""), "en": post.get("title_en", "")},
        "description": {"de": post.get("description_de", ""), "en": post.get("description_en", "")},
        "service_key": post.get("service_key", ""),
        **{name: post.get(name, "").strip() for name in SETTINGS_FIELDS},
    }


def values_from_post(post) -> dict:
    return {name: post.get(name, "") for name in post}


def values_of(form: Form | None) -> dict:
    if form is None:
        return {
            "retention_days": 365,
            "retention_action": RetentionAction.DELETE,
            "draft_days": 30,
        }
    return {
        "title_de": form.title.get("de", ""),
        "title_en": form.title.get("en", ""),
        "description_de": (form.description or {}).get("de", ""),
        "description_en": (form.description or {}).get("en", ""),
        "service_key": form.service_key,
        "retention_days": form.retention_days,
        "retention_action": form.retention_action,
        "draft_days": form.draft_days,
        "processing_days": form.processing_days,
    }


# Where a service's error field is shown on the settings form (title -> its German input).
SETTINGS_IDS = {"title": "f-title_de"}


def settings_context(values: dict, errors: dict) -> dict:
    return {
        "values": values,
        "errors_by": {("title_de" if k == "title" else k): v for k, v in errors.items()},
        "errors": summary_of(errors, SETTINGS_IDS),
        "services": catalogue_services(),
        "retention_actions": RetentionAction.choices,
    }


def forms_overview() -> list[Form]:
    """Every form with its state: `published`, `draft` (versions), `submission_count`,
    `library_update` (the library has a newer version of its template). Four queries, however
    many forms."""
    from portalwerk.platform.formlibrary.models import FormTemplate

    forms = list(
        Form.objects.annotate(submission_count=Count("submissions"))
        .prefetch_related("versions")
        .order_by("slug")
    )
    library = dict(FormTemplate.objects.values_list("key", "version"))
    for form in forms:
        versions = list(form.versions.all())
        form.published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
        form.draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
        form.library_update = bool(
            form.template_key and library.get(form.template_key, 0) > (form.template_version or 0)
        )
    return forms


def versions_of(form: Form) -> list[FormVersion]:
    return list(form.versions.annotate(submission_count=Count("submissions")).order_by("-number"))
