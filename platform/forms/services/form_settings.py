"""A form's settings, which are not part of its versions: title and description, the catalogue
service it belongs to, how long submissions and drafts are kept, the processing deadline. And
a new form from scratch, which starts with a small valid definition the builder grows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.forms.errors import FormErrorCode as Code
from portalwerk.platform.forms.models import Form, RetentionAction
from portalwerk.platform.forms.services.checks import _error, _require_manager
from portalwerk.platform.forms.services.publishing import _refuse_district_service, create_form

EDITABLE = (
    "title",
    "description",
    "service_key",
    "retention_days",
    "retention_action",
    "draft_days",
    "processing_days",
)
LONGEST_DAYS = 36_500  # a hundred years: beyond that a number of days is a typing error


def starting_definition() -> dict[str, Any]:
    """One step with one question: the smallest definition the engine takes."""
    return {
        "steps": [
            {
                "key": "applicant",
                "title": {"de": "Angaben zur Person", "en": "About you"},
                "fields": [
                    {
                        "key": "name",
                        "type": "text",
                        "required": True,
                        "label": {"de": "Vor- und Nachname", "en": "First and last name"},
                    }
                ],
            }
        ]
    }


def _checked(changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise _error(
            Code.UNKNOWN_FIELD, _("This setting cannot be changed here."), sorted(unknown)[0]
        )
    out = dict(changes)
    for name in ("title", "description"):
        if name in out:
            text = out[name] or {}
            out[name] = {lang: str(text.get(lang) or "").strip() for lang in ("de", "en")}
            out[name] = {lang: value for lang, value in out[name].items() if value}
    if "title" in out and not out["title"].get("de"):
        raise _error(Code.REQUIRED, _("Enter the title in German."), "title_de")
    for name in ("retention_days", "draft_days", "processing_days"):
        if name in out:
            out[name] = _days(name, out[name])
    if "retention_action" in out and out["retention_action"] not in RetentionAction.values:
        raise _error(Code.INVALID_CHOICE, _("Choose delete or anonymise."), "retention_action")
    if "service_key" in out:
        out["service_key"] = out["service_key"] or ""
        _refuse_district_service(out["service_key"])
    return out


def _days(name: str, value: Any) -> int | None:
    """A number of days as typed or given; the processing deadline may be empty (none)."""
    if name == "processing_days" and value in (None, ""):
        return None
    if isinstance(value, str):
        value = int(value.strip()) if value.strip().isdigit() else -1
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= LONGEST_DAYS:
        raise _error(
            Code.INVALID_TYPE,
            _("Enter a whole number of days between 1 and %(most)s.") % {"most": LONGEST_DAYS},
            name,
        )
    return value


@transaction.atomic
def update_form_settings(*, actor: Actor, form: Form, **changes: Any) -> Form:
    """Change a form's settings (EDITABLE). The address name stays: catalogue pages, links
    and bookmarks point at it. A changed processing deadline counts for new submissions only
    (each submission keeps the date it was due by)."""
    _require_manager(actor)
    values = _checked(changes)
    if "service_key" in values and values["service_key"] != form.service_key:
        _require_catalogue_service(values["service_key"])
    form = Form.objects.select_for_update().get(pk=form.pk)
    changed = [name for name, value in values.items() if getattr(form, name) != value]
    for name in changed:
        setattr(form, name, values[name])
    if changed:
        form.save(update_fields=changed)
        record(actor, Action.FORM_EDITED, form, settings=",".join(sorted(changed)))
    return form


def _require_catalogue_service(key: str) -> None:
    from portalwerk.platform.catalog.models import Service

    if key and not Service.objects.filter(slug=key).exists():
        raise _error(Code.INVALID_CHOICE, _("Choose a service of your catalogue."), "service_key")


@transaction.atomic
def create_blank_form(
    *, actor: Actor, slug: str, title: Mapping, service_key: str = "", **settings: Any
) -> Form:
    """A new form from scratch with its settings and a draft version 1 holding
    `starting_definition`, for the builder to grow."""
    _require_manager(actor)
    values = _checked({"title": title, "service_key": service_key, **settings})
    _require_catalogue_service(values["service_key"])
    form = create_form(
        actor=actor,
        slug=(slug or "").strip(),
        title=values.pop("title"),
        description=values.pop("description", {}),
        service_key=values.pop("service_key"),
        definition=starting_definition(),
        retention_days=values.pop("retention_days", 365),
    )
    if values:
        Form.objects.filter(pk=form.pk).update(**values)
        form.refresh_from_db()
    return form
