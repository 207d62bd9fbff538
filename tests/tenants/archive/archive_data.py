"""A tenant with rows of every kind the archive holds, made through the apps' own services
where they have one (tests/helpers), and the comparison of two tenants row by row and file by
file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.authz.actors import anonymous, from_user
from portalwerk.platform.casework import notes, saved_views
from portalwerk.platform.casework import services as casework
from portalwerk.platform.catalog import demo as catalog_demo
from portalwerk.platform.catalog.bitv.models import AccessibilityStatement, KnownBarrier
from portalwerk.platform.catalog.models import PortalSettings
from portalwerk.platform.datasources.models import DataSource
from portalwerk.platform.forms.models import Upload
from portalwerk.platform.handover.models import Delivery
from portalwerk.tenants.archive import kinds
from tests.helpers import fishing
from tests.helpers.forms import FEE_ANSWERS, FEE_DEFINITION, PNG, make_submission, publish_form
from tests.helpers.forms import png as png_file
from tests.platform.handover.webhook_helpers import webhook_target

PASSWORD = "Test-Passwort-2026!"


def fill_every_kind(tenant) -> dict:
    """Rows in every kind of the archive, in `tenant`'s schema; what was made, by name."""
    from portalwerk.billing.payments import services as payments
    from portalwerk.platform.appointments import services as appointments
    from tests.helpers.appointments import NOW, at, make_office

    with schema_context(tenant.schema_name):
        admin = User.objects.create_user(
            "admin@archive.example", PASSWORD, role=Role.TENANT_ADMIN, full_name="Ada Admin"
        )
        clerk = User.objects.create_user(
            "clerk@archive.example", PASSWORD, role=Role.CLERK_PROCESSOR, full_name="Carl Clerk"
        )
        citizen = User.objects.create_user("citizen@archive.example", PASSWORD)
        group = Group.objects.create(name="Archiv")
        group.permissions.set(Permission.objects.filter(codename__in=["view_form", "view_user"]))
        clerk.groups.add(group)
        clerk.user_permissions.add(Permission.objects.get(codename="view_submission"))

        catalog_demo.seed_tenant(tenant)
        settings_row = PortalSettings.objects.get()
        settings_row.logo, settings_row.logo_type = PNG, "png"
        settings_row.save()
        statement = AccessibilityStatement.objects.create()
        KnownBarrier.objects.create(statement=statement, description_de="Keine Rampe")
        DataSource.objects.create(key="adressen", name="Adressen", plugin="demo", config={})

        webhook_target("https://dms.archive.example/hook")
        fishing_form = fishing.publish(clerk)
        with_photo = fishing.submit(fishing_form, photo=png_file("pass.png"))
        fee_form = publish_form(clerk, "fee", {"de": "Gebühr", "en": "Fee"}, FEE_DEFINITION)
        paid = make_submission(fee_form, from_user(citizen), FEE_ANSWERS)
        from portalwerk.platform.forms import services as forms

        unfinished = forms.start_draft(actor=anonymous(), form=fee_form)
        forms.save_step(
            actor=anonymous(), draft=unfinished, step_key="person", raw=FEE_ANSWERS["person"]
        )
        payments.start_payment(actor=anonymous(), submission=paid, return_url="/")
        casework.change_status(
            actor=from_user(clerk), submission_id=with_photo.pk, status="in_progress"
        )
        casework.send_message(
            actor=from_user(clerk),
            submission_id=with_photo.pk,
            body="Bitte ein neueres Foto.",
            files=[png_file("hinweis.png")],
        )
        notes.add_note(actor=from_user(clerk), submission_id=with_photo.pk, body="Foto zu dunkel.")
        saved_views.save_view(actor=from_user(clerk), name="Neu", query="status=received")
        setup = make_office(name="Bürgerbüro Archiv")
        appointments.hold_appointment(
            actor=anonymous(),
            office=setup.office,
            service_ids=[setup.id_card.pk],
            starts_at=at(dt.date(2027, 3, 3), "09:00"),
            name="Anna Muster",
            email="anna@example.org",
            now=NOW,
        )
        return {"admin": admin, "clerk": clerk, "submission": with_photo}


def rows(schema: str) -> dict[str, list[dict]]:
    """Every exported model's rows in `schema`, by label, ordered by primary key, binary
    values as bytes."""
    found = {}
    with schema_context(schema):
        for _kind, model in kinds.exported():
            found[model._meta.label] = [
                {k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()}
                for row in model._base_manager.order_by("pk").values()
            ]
    return found


def files(schema: str) -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT) / schema
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def empty_kinds(schema: str) -> list[str]:
    """The kinds of the archive with no row at all in `schema` (a round trip must fill all)."""
    with schema_context(schema):
        counts: dict[str, int] = {}
        for kind, model in kinds.exported():
            counts[kind] = counts.get(kind, 0) + model._base_manager.count()
    return sorted(kind for kind, count in counts.items() if count == 0)


__all__ = ["Delivery", "Upload", "empty_kinds", "files", "fill_every_kind", "rows"]
