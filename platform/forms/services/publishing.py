"""Clerks build forms: create one, edit a draft version, publish or withdraw it, and copy a
template from the form library (and take up its later versions)."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor, user_of
from portalwerk.platform.forms.errors import FormErrorCode as Code
from portalwerk.platform.forms.models import Form, FormVersion, VersionStatus
from portalwerk.platform.forms.services.checks import _error, _require_manager, check_definition


@transaction.atomic
def create_form(
    *,
    actor: Actor,
    slug: str,
    title: Mapping,
    definition: Mapping,
    service_key: str = "",
    description: Mapping | None = None,
    retention_days: int = 365,
) -> Form:
    _require_manager(actor)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", slug or ""):
        raise _error(Code.INVALID_TYPE, _("Use lower case letters, digits and -."), "slug")
    if Form.objects.filter(slug=slug).exists():
        raise _error(Code.INVALID_TYPE, _("A form with this address exists already."), "slug")
    _refuse_district_service(service_key)
    check_definition(definition)
    form = Form.objects.create(
        slug=slug,
        title=dict(title),
        description=dict(description or {}),
        service_key=service_key,
        retention_days=retention_days,
    )
    FormVersion.objects.create(
        form=form, number=1, definition=copy.deepcopy(dict(definition)), created_by=user_of(actor)
    )
    record(actor, Action.FORM_CREATED, form, slug=form.slug)
    return form


def _refuse_district_service(service_key: str) -> None:
    """One route per service: a member takes no applications for a service its district is
    responsible for (the member's portal links to the district's form instead)."""
    from portalwerk.platform.catalog.queries import district_of, district_service_keys
    from portalwerk.tenants import names
    from portalwerk.tenants.current import current_tenant_or_none, tenant_url

    tenant = current_tenant_or_none()
    if not service_key or tenant is None or service_key not in district_service_keys(tenant):
        return
    district = district_of(tenant)
    raise _error(
        Code.DISTRICT_RESPONSIBLE,
        _("%(district)s is responsible for this service; citizens apply for it at %(url)s.")
        % {"district": names.phrase(district, "nominative"), "url": tenant_url(district)},
        "service_key",
    )


@transaction.atomic
def save_version_definition(
    *, actor: Actor, version: FormVersion, definition: Mapping
) -> FormVersion:
    _require_manager(actor)
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise _error(
            Code.NOT_A_DRAFT_VERSION,
            _("A published version cannot change. Make a new draft version."),
            "definition",
        )
    check_definition(definition)
    version.definition = copy.deepcopy(dict(definition))
    version.save(update_fields=["definition"])
    record(actor, Action.FORM_EDITED, version.form, version=version.number)
    return version


@transaction.atomic
def new_draft_version(*, actor: Actor, form: Form) -> FormVersion:
    """A new draft version, copied from the newest one. An open draft version is reused."""
    _require_manager(actor)
    form = Form.objects.select_for_update().get(pk=form.pk)
    existing = form.versions.filter(status=VersionStatus.DRAFT).first()
    if existing:
        return existing
    latest = form.versions.order_by("-number").first()
    version = FormVersion.objects.create(
        form=form,
        number=(latest.number + 1) if latest else 1,
        definition=copy.deepcopy(latest.definition) if latest else {"steps": []},
        created_by=user_of(actor),
    )
    record(actor, Action.FORM_VERSION_CREATED, form, version=version.number)
    return version


@transaction.atomic
def publish_version(*, actor: Actor, version: FormVersion) -> FormVersion:
    """Publish a draft version. The previous one becomes `superseded`: drafts that citizens
    started with it may still be submitted, new drafts use this one."""
    _require_manager(actor)
    Form.objects.select_for_update().get(pk=version.form_id)
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise _error(Code.NOT_A_DRAFT_VERSION, _("Only a draft version can be published."))
    check_definition(version.definition)
    FormVersion.objects.filter(form_id=version.form_id, status=VersionStatus.PUBLISHED).update(
        status=VersionStatus.SUPERSEDED
    )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    record(actor, Action.FORM_PUBLISHED, version.form, version=version.number)
    return version


@transaction.atomic
def withdraw_form(*, actor: Actor, form: Form) -> Form:
    """Take a form offline: no new drafts, and drafts in progress can no longer be submitted."""
    _require_manager(actor)
    form = Form.objects.select_for_update().get(pk=form.pk)
    form.versions.filter(status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED]).update(
        status=VersionStatus.WITHDRAWN
    )
    form.is_active = False
    form.save(update_fields=["is_active"])
    record(actor, Action.FORM_WITHDRAWN, form)
    return form


@transaction.atomic
def adopt_template(
    *, actor: Actor, key: str, slug: str | None = None, publish: bool = False
) -> Form:
    """Copy a library template into this tenant's forms (a copy the tenant may adapt)."""
    from portalwerk.platform.formlibrary.models import FormTemplate

    _require_manager(actor)
    template = FormTemplate.objects.filter(key=key).first()
    if template is None:
        raise _error(Code.NOT_FOUND, _("This template was not found."))
    form = create_form(
        actor=actor,
        slug=slug or template.key,
        title=template.title,
        description=template.description,
        definition=template.definition,
        service_key=template.service_key,
        retention_days=template.retention_days,
    )
    form.template_key = template.key
    form.template_version = template.version
    form.save(update_fields=["template_key", "template_version"])
    record(actor, Action.FORM_ADOPTED, form, template=template.key, version=template.version)
    if publish:
        publish_version(actor=actor, version=form.versions.get())
    return form


@transaction.atomic
def update_from_template(*, actor: Actor, form: Form) -> FormVersion:
    """A new draft version with the library's current definition (the clerk reviews and
    publishes it; submissions in progress keep their version)."""
    from portalwerk.platform.formlibrary.models import FormTemplate

    _require_manager(actor)
    template = FormTemplate.objects.filter(key=form.template_key).first()
    if template is None:
        raise _error(Code.NOT_FOUND, _("This template was not found."))
    version = new_draft_version(actor=actor, form=form)
    save_version_definition(actor=actor, version=version, definition=template.definition)
    Form.objects.filter(pk=form.pk).update(template_version=template.version)
    return version


def template_update_available(form: Form) -> bool:
    """True when the library has a newer version of the template this form was copied from."""
    from portalwerk.platform.formlibrary.models import FormTemplate

    if not form.template_key:
        return False
    template = FormTemplate.objects.filter(key=form.template_key).first()
    return template is not None and template.version > (form.template_version or 0)
