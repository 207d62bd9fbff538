"""Audit entries go only by their own retention rule; purging what they name leaves them."""

import datetime as dt

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.platform.appointments import services as appointments
from portalwerk.platform.appointments.models import Appointment
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.audit.recording import record
from portalwerk.platform.audit.retention import purge_old_entries
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.casework.retention import purge_expired
from tests.helpers.appointments import at, make_office
from tests.helpers.forms import PERSON_STEP, make_submission, publish_form


def test_entries_older_than_the_retention_period_are_purged_and_newer_ones_stay(
    clerk, tenant_a, settings
):
    settings.PORTALWERK_AUDIT_RETENTION_DAYS = 30
    with schema_context(tenant_a.schema_name):
        actor = from_user(clerk)
        old = record(actor, Action.SUBMISSION_OPENED, object_type="submission", object_id="OLD")
        new = record(actor, Action.SUBMISSION_OPENED, object_type="submission", object_id="NEW")
        Entry.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=31))
        Entry.objects.filter(pk=new.pk).update(at=timezone.now() - dt.timedelta(days=29))
        # when the audit purge runs
        deleted = purge_old_entries()
        # then only the old entry is gone, and the purge itself is on record
        assert deleted == 1
        assert not Entry.objects.filter(pk=old.pk).exists()
        assert Entry.objects.filter(pk=new.pk).exists()
        assert Entry.objects.get(action="audit.purged").detail["deleted"] == 1


def test_purging_a_submission_keeps_its_audit_entries(clerk, citizen, tenant_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with schema_context(tenant_a.schema_name):
        # given a submission a clerk opened
        definition = {"steps": [PERSON_STEP]}
        form = publish_form(clerk, "short", {"de": "Kurz", "en": "Short"}, definition)
        answers = {"person": {"first_name": "Anna", "last_name": "A", "email": "a@example.org"}}
        submission = make_submission(form, citizen, answers)
        from portalwerk.platform.casework.services import open_submission

        open_submission(actor=from_user(clerk), submission_id=submission.pk)
        # when retention deletes it
        form.retention_days = 0
        form.save()
        purge_expired(now=timezone.now() + dt.timedelta(days=1))
        # then the opening and the purge are both still on record under its reference
        actions = set(
            Entry.objects.filter(
                object_type="submission", object_id=submission.reference
            ).values_list("action", flat=True)
        )
    assert actions == {"submission.opened", "submission.purged"}


def test_deleting_an_appointment_keeps_its_audit_entries(clerk, tenant_a):
    connection.set_tenant(tenant_a)
    setup = make_office()
    day = timezone.localdate() + dt.timedelta(days=7)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    appointment = appointments.book_on_behalf(
        actor=from_user(clerk),
        office=setup.office,
        service_ids=[setup.registration.id],
        starts_at=at(day, "09:00"),
        name="Anna",
    )
    appointments.cancel_appointment(actor=from_user(clerk), appointment=appointment)
    # when the appointment row goes (offboarding a calendar, a future purge)
    Appointment.objects.filter(pk=appointment.pk).delete()
    # then what the clerk did to it stays
    actions = set(
        Entry.objects.filter(object_type="appointment", object_id=str(appointment.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == {"appointment.booked", "appointment.cancelled"}
