"""The clerk's start page at /backoffice/: new, mine, overdue, today's appointments and failed
hand-overs, each with its count, first rows and a link into the queue; administration only for
those allowed; a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import anonymous, from_user
from portalwerk.platform.casework import services as casework
from portalwerk.platform.forms.models import Submission
from tests.platform.workspace.test_submission_page import submit

PASSWORD = "Test-Passwort-2026!"


def section(html: str, key: str) -> str:
    start = html.index(f'aria-labelledby="start-{key}"')
    return html[start : html.index("</section>", start)]


def count_of(html: str, key: str) -> int:
    return int(re.search(r'<span class="count">(\d+)</span>', section(html, key)).group(1))


def start_page(client, language="en") -> str:
    response = client.get("/backoffice/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def work(licence_form, tenant_a, clerk):
    """Three new submissions, one assigned to the clerk (in progress), one overdue, one closed."""
    with schema_context(tenant_a.schema_name):
        made = [submit(licence_form, anonymous(), photo=False) for _ in range(6)]
        new = made[:3]
        mine, late, closed = made[3:]
        for s in (mine, late, closed):
            casework.change_status(actor=from_user(clerk), submission_id=s.pk, status="in_progress")
        casework.assign_submission(
            actor=from_user(clerk), submission_id=mine.pk, assignee_id=clerk.pk
        )
        casework.assign_submission(
            actor=from_user(clerk), submission_id=closed.pk, assignee_id=clerk.pk
        )
        casework.change_status(actor=from_user(clerk), submission_id=closed.pk, status="completed")
        past = timezone.now() - dt.timedelta(days=2)
        Submission.objects.filter(pk__in=[late.pk, closed.pk]).update(due_at=past)
        return {"new": new, "mine": mine, "late": late, "closed": closed}


def test_the_start_page_shows_what_needs_the_clerk_now(clerk_client, work):
    html = start_page(clerk_client)
    assert count_of(html, "new") == 3
    assert all(s.reference in section(html, "new") for s in work["new"])
    assert count_of(html, "mine") == 1 and work["mine"].reference in section(html, "mine")
    assert work["closed"].reference not in section(html, "mine")  # closed is not work
    assert count_of(html, "overdue") == 1 and work["late"].reference in section(html, "overdue")
    # each section leads into the queue with the filter that lists the same submissions
    assert 'href="/backoffice/inbox/?status=received&amp;assigned=none"' in section(html, "new")
    assert 'href="/backoffice/inbox/?assigned=me"' in section(html, "mine")
    assert 'href="/backoffice/inbox/?deadline=overdue"' in section(html, "overdue")
    # a row opens the submission
    assert f'href="/backoffice/inbox/{work["late"].pk}/"' in section(html, "overdue")


def test_the_start_page_is_german_with_german_dates(clerk_client, work):
    html = start_page(clerk_client, "de")
    assert "Neue Anträge" in html and "Mir zugewiesen" in html and "Überfällig" in html
    assert re.search(r"eingereicht am \d\d\.\d\d\.\d{4} \d\d:\d\d", section(html, "new"))
    assert re.search(r"fällig am \d\d\.\d\d\.\d{4}", section(html, "overdue"))


def test_only_the_first_rows_are_listed_and_the_count_says_how_many(
    clerk_client, licence_form, tenant_a
):
    with schema_context(tenant_a.schema_name):
        for _ in range(7):
            submit(licence_form, anonymous(), photo=False)
    new = section(start_page(clerk_client), "new")
    assert new.count("<li>") == 5
    assert "Show all 7 new submissions in the inbox" in new


def test_todays_appointments_per_office(clerk_client, tenant_a):
    from portalwerk.platform.appointments.models import Appointment, Status
    from tests.helpers.appointments import make_office

    today = timezone.localdate()
    with schema_context(tenant_a.schema_name):
        setup = make_office(name="Bürgerbüro Start")
        counter = setup.counters[0]
        midnight = dt.datetime.combine(today, dt.time(0), tzinfo=timezone.get_current_timezone())
        for hours, status in ((1, Status.ARRIVED), (23, Status.CONFIRMED), (23, Status.CANCELLED)):
            Appointment.objects.create(
                office=setup.office,
                counter=counter,
                starts_at=midnight + dt.timedelta(hours=hours),
                ends_at=midnight + dt.timedelta(hours=hours, minutes=10),
                status=status,
                name="Kim Start",
            )
        Appointment.objects.create(  # tomorrow's is not today's
            office=setup.office,
            counter=counter,
            starts_at=midnight + dt.timedelta(days=1, hours=9),
            ends_at=midnight + dt.timedelta(days=1, hours=10),
            status=Status.CONFIRMED,
            name="Kim Morgen",
        )
    html = start_page(clerk_client)
    appointments = section(html, "appointments")
    assert count_of(html, "appointments") == 2
    assert "Bürgerbüro Start</a>:" in appointments and "2 appointments" in appointments
    assert f"date={today:%d.%m.%Y}" in appointments
    assert "Kim" not in appointments  # names are on the day view, whose look is recorded


def test_failed_hand_overs_are_listed_for_those_who_see_deliveries(
    clerk_client, client_for, tenant_a, work
):
    from portalwerk.platform.handover.models import Delivery, DeliveryStatus, Target

    with schema_context(tenant_a.schema_name):
        target = Target.objects.create(name="Fachverfahren Start", backend="recording")
        Delivery.objects.create(
            submission=work["late"],
            target=target,
            status=DeliveryStatus.FAILED,
            last_attempt_at=timezone.now(),
        )
    handovers = section(start_page(clerk_client), "handovers")
    assert work["late"].reference in handovers and "Fachverfahren Start" in handovers
    assert 'href="/backoffice/handover/failed/"' in handovers


def test_administration_is_offered_to_those_allowed(
    clerk_client, client_for, tenant_a, tenant_admin
):
    clerk_page = start_page(clerk_client)
    assert 'href="/backoffice/staff/"' not in clerk_page
    admin = client_for(tenant_a)
    admin.sign_in(tenant_admin.email)
    admin_page = start_page(admin, "de")
    assert 'href="/backoffice/staff/"' in admin_page and "Technische Verwaltung" in admin_page
    assert 'href="/backoffice/forms/formversion/"' in admin_page  # the admin's model pages


def test_a_reader_sees_no_personal_work_and_citizens_no_start_page(
    client_for, tenant_a, citizen, work
):
    with schema_context(tenant_a.schema_name):
        User.objects.create_user("reader@alpha.example", PASSWORD, role=Role.CLERK_READER)
    reader = client_for(tenant_a)
    reader.sign_in("reader@alpha.example")
    html = start_page(reader)
    assert count_of(html, "new") == 3 and 'aria-labelledby="start-mine"' not in html
    visitor = client_for(tenant_a)
    visitor.sign_in(citizen.email)
    refused = visitor.get("/backoffice/")
    assert refused.status_code == 302 and "/login/" in refused["Location"]
    assert work["late"].reference not in refused.content.decode()


def test_seeing_the_start_page_is_recorded(clerk_client, tenant_a, clerk, work):
    start_page(clerk_client)
    with schema_context(tenant_a.schema_name):
        entry = Entry.objects.filter(action="submission.listed").latest("at")
    assert entry.actor_user_id == clerk.pk and entry.detail["filtered"] == ["start_page"]
    assert entry.detail["rows"] == 5  # three new, one mine, one overdue


def test_the_start_page_costs_the_same_queries_however_much_there_is(
    clerk_client, licence_form, tenant_a, clerk
):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            start_page(clerk_client)
        return len(ctx.captured_queries)

    with schema_context(tenant_a.schema_name):
        submit(licence_form, anonymous(), photo=False)
    one = count()
    with schema_context(tenant_a.schema_name):
        for _ in range(8):
            s = submit(licence_form, anonymous(), photo=False)
            casework.assign_submission(
                actor=from_user(clerk), submission_id=s.pk, assignee_id=clerk.pk
            )
    assert count() == one
