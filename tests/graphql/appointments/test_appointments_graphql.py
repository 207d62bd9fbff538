"""The appointments operations of the tenant API, executed against a schema made of them (the
wiring into graphql/schema_tenant.py comes with the merge of the GraphQL core)."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
import strawberry
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from portalwerk.graphql.appointments.mutations import AppointmentMutation
from portalwerk.graphql.appointments.queries import AppointmentQuery
from portalwerk.graphql.appointments.types import global_id
from portalwerk.platform.appointments.models import Appointment, BookableService, Status
from portalwerk.platform.authz.actors import from_user
from tests.helpers.appointments import run_jobs

schema = strawberry.Schema(query=AppointmentQuery, mutation=AppointmentMutation)


def run(query: str, user=None, tenant=None, **variables):
    request = RequestFactory().post("/graphql/", REMOTE_ADDR="192.0.2.10")
    request.user = user or AnonymousUser()
    request.actor = from_user(request.user)  # what ActorMiddleware sets
    if tenant is not None:
        request.tenant = tenant
    result = schema.execute_sync(
        query, variable_values=variables, context_value=SimpleNamespace(request=request)
    )
    return result


SERVICES = "{ appointmentServices { id name offeredAt { officeId durationMinutes } } }"
DAYS = """query ($s: [ID!]!, $o: ID!) {
  availableDays(serviceIds: $s, officeId: $o) }"""
TIMES = """query ($s: [ID!]!, $o: ID!, $d: Date!) {
  availableTimes(serviceIds: $s, officeId: $o, date: $d) { startsAt capacity } }"""
HOLD = """mutation ($input: HoldAppointmentInput!) {
  holdAppointment(input: $input) { appointment { id status startsAt endsAt services }
                                   errors { field code message } } }"""
CONFIRM = """mutation ($token: String, $id: ID) {
  confirmAppointment(token: $token, id: $id) { appointment { status } errors { code } } }"""
MOVE = """mutation ($token: String, $id: ID, $at: DateTime!) {
  rescheduleAppointment(token: $token, id: $id, startsAt: $at) {
    appointment { status startsAt } errors { code } } }"""
CANCEL = """mutation ($token: String, $id: ID) {
  cancelAppointment(token: $token, id: $id) { appointment { status } errors { code } } }"""
DAY = """query ($o: ID!, $d: Date!, $first: Int, $after: String) {
  appointmentsOfDay(officeId: $o, date: $d, first: $first, after: $after) {
    edges { node { id name email status counterName services startsAt } }
    pageInfo { hasNextPage endCursor } } }"""


def day_rows(result):
    return [edge["node"] for edge in result.data["appointmentsOfDay"]["edges"]]


def first_free(setup, service):
    s = [str(global_id("AppointmentService", service.pk))]
    o = str(global_id("AppointmentOffice", setup.office.pk))
    days = run(DAYS, s=s, o=o).data["availableDays"]
    # the first day may have only its last times left (the booking lead time cuts into it,
    # depending on when the suite runs): take the first with three free times, as days[0]
    for index, day in enumerate(days):
        times = run(TIMES, s=s, o=o, d=day).data["availableTimes"]
        if len(times) >= 3:
            return s, o, days[index:], times
    raise AssertionError("no day with three free times")


def test_an_anonymous_citizen_books_confirms_moves_and_cancels_through_the_api(setup):
    # the services list says where each service is offered and how long it takes
    listed = {s["name"]: s for s in run(SERVICES).data["appointmentServices"]}
    assert listed["ID card"]["offeredAt"][0]["durationMinutes"] == 20
    s, o, days, times = first_free(setup, setup.id_card)
    assert len(days) > 10 and times[0]["capacity"] == 2
    mail.outbox.clear()
    held = run(
        HOLD,
        input={
            "serviceIds": s,
            "officeId": o,
            "startsAt": times[0]["startsAt"],
            "name": "Api Anna",
            "email": "api@example.org",
        },
    ).data["holdAppointment"]
    assert held["errors"] == [] and held["appointment"]["status"] == "held"
    assert held["appointment"]["services"] == ["ID card"]
    run_jobs("send_appointment_mail")
    token = re.search(r"/appointments/confirm/([^/]+)/", mail.outbox[0].body).group(1)
    confirmed = run(CONFIRM, token=token).data["confirmAppointment"]
    assert confirmed == {"appointment": {"status": "confirmed"}, "errors": []}
    run_jobs("send_appointment_mail")
    manage = re.search(r"/appointments/manage/([^/]+)/", mail.outbox[1].body).group(1)
    moved = run(MOVE, token=manage, at=times[2]["startsAt"]).data["rescheduleAppointment"]
    assert moved["errors"] == [] and moved["appointment"]["startsAt"] == times[2]["startsAt"]
    # the confirmation token does not cancel; the manage token does
    assert run(CANCEL, token=token).data["cancelAppointment"]["errors"] == [{"code": "not_found"}]
    cancelled = run(CANCEL, token=manage).data["cancelAppointment"]
    assert cancelled["appointment"]["status"] == "cancelled"


def test_errors_come_back_as_values(setup):
    s, o, _days, times = first_free(setup, setup.fishing)  # one counter offers it
    payload = {"serviceIds": s, "officeId": o, "startsAt": times[0]["startsAt"], "name": "A"}
    first = run(HOLD, input={**payload, "email": "a@example.org"}).data["holdAppointment"]
    assert first["errors"] == []
    second = run(HOLD, input={**payload, "email": "b@example.org"}).data["holdAppointment"]
    assert second["appointment"] is None
    assert [(e["field"], e["code"]) for e in second["errors"]] == [("startsAt", "slot_taken")]
    wrong_type = {**payload, "officeId": s[0], "email": "c@example.org"}
    assert run(HOLD, input=wrong_type).data["holdAppointment"]["errors"][0]["code"] == "not_found"


def test_a_signed_in_citizen_confirms_by_id_and_others_cannot(setup, citizen, in_alpha):
    from portalwerk.platform.accounts.models import Role, User

    other = User.objects.create_user("other@alpha.example", "x" * 12, role=Role.CITIZEN)
    s, o, _days, times = first_free(setup, setup.id_card)
    held = run(
        HOLD,
        user=citizen,
        input={"serviceIds": s, "officeId": o, "startsAt": times[0]["startsAt"], "name": "C"},
    ).data["holdAppointment"]["appointment"]
    for stranger in (None, other):
        answer = run(CONFIRM, user=stranger, id=held["id"]).data["confirmAppointment"]
        assert answer["errors"] == [{"code": "not_found"}]
        answer = run(CANCEL, user=stranger, id=held["id"]).data["cancelAppointment"]
        assert answer["errors"] == [{"code": "not_found"}]
    assert Appointment.objects.get().status == Status.HELD
    answer = run(CONFIRM, user=citizen, id=held["id"]).data["confirmAppointment"]
    assert answer["appointment"]["status"] == "confirmed"


def test_only_clerks_get_the_day_view(setup, citizen, clerk):
    s, o, days, times = first_free(setup, setup.id_card)
    run(
        HOLD,
        input={
            "serviceIds": s,
            "officeId": o,
            "startsAt": times[0]["startsAt"],
            "name": "Day Dora",
            "email": "dora@example.org",
        },
    )
    for user in (None, citizen):
        result = run(DAY, user=user, o=o, d=days[0])
        assert result.data is None and "not allowed" in result.errors[0].message
    rows = day_rows(run(DAY, user=clerk, o=o, d=days[0]))
    assert [(r["name"], r["email"], r["status"], r["services"]) for r in rows] == [
        ("Day Dora", "dora@example.org", "held", ["ID card"])
    ]
    assert rows[0]["id"] != "" and rows[0]["counterName"] == "Counter 1"


def test_another_tenants_clerk_sees_nothing_of_this_tenant(
    setup, clerk, other_tenant_clerk, tenant_b
):
    # given a hold in Alpha, which Alpha's clerk sees in the day list
    s, o, days, times = first_free(setup, setup.id_card)
    held = run(
        HOLD,
        input={
            "serviceIds": s,
            "officeId": o,
            "startsAt": times[0]["startsAt"],
            "name": "X",
            "email": "x@example.org",
        },
    )
    assert held.data["holdAppointment"]["errors"] == []
    assert [row["name"] for row in day_rows(run(DAY, user=clerk, o=o, d=days[0]))] == ["X"]
    # when another tenant's clerk asks for that office's day, then they see nothing of it
    connection.set_tenant(tenant_b)
    assert day_rows(run(DAY, user=other_tenant_clerk, o=o, d=days[0])) == []
    assert run(DAYS, s=s, o=o).data["availableDays"] == []


@pytest.mark.parametrize("count", [1, 15])
def test_the_services_list_takes_the_same_queries_for_any_length(in_alpha, count):
    from tests.helpers.appointments import make_office

    setup = make_office()
    for n in range(count):
        extra = BookableService.objects.create(name=f"Extra {n}")
        setup.office.office_services.create(service=extra, duration_minutes=10)
    with CaptureQueriesContext(connection) as queries:
        assert len(run(SERVICES).data["appointmentServices"]) == count + 3
    assert len([q for q in queries if not q["sql"].startswith("SET search_path")]) == 2


def test_a_tenant_without_the_module_answers_with_nothing(setup, tenant_a):
    s, o, _days, times = first_free(setup, setup.id_card)
    tenant_a.modules = ["catalog"]
    assert run(SERVICES, tenant=tenant_a).data["appointmentServices"] == []
    assert run(DAYS, tenant=tenant_a, s=s, o=o).data["availableDays"] == []
    held = run(
        HOLD,
        tenant=tenant_a,
        input={
            "serviceIds": s,
            "officeId": o,
            "startsAt": times[0]["startsAt"],
            "name": "A",
            "email": "a@example.org",
        },
    ).data["holdAppointment"]
    assert held["errors"][0]["code"] == "module_off"
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("count", [1, 20])
def test_the_day_list_pages_with_cursors_in_constant_queries(setup, clerk, count):
    from portalwerk.platform.appointments import services as appointment_services
    from tests.helpers.appointments import at

    s, o, days, _times = first_free(setup, setup.registration)
    day = dt.date.fromisoformat(days[0])
    for n in range(count):
        hour, minute = divmod(13 * 60 + (n // 2) * 10, 60)
        appointment_services.book_on_behalf(
            actor=from_user(clerk),
            office=setup.office,
            service_ids=[setup.registration.pk],
            starts_at=at(day, f"{hour:02}:{minute:02}"),
            name=f"Citizen {n}",
        )
    with CaptureQueriesContext(connection) as queries:
        first_page = run(DAY, user=clerk, o=o, d=days[0], first=count).data["appointmentsOfDay"]
    assert len(first_page["edges"]) == count and not first_page["pageInfo"]["hasNextPage"]
    # office, the audit entry for the look at citizens' data, appointments with counters, their
    # items, the items' services: same for 1 or 20
    sql = [q["sql"] for q in queries if not q["sql"].startswith("SET search_path")]
    assert len(sql) == 5 and sum(q.startswith('INSERT INTO "audit_entry"') for q in sql) == 1
    if count > 1:
        page = run(DAY, user=clerk, o=o, d=days[0], first=5).data["appointmentsOfDay"]
        assert page["pageInfo"]["hasNextPage"]
        rest = run(
            DAY, user=clerk, o=o, d=days[0], first=50, after=page["pageInfo"]["endCursor"]
        ).data["appointmentsOfDay"]
        names = [e["node"]["name"] for e in page["edges"] + rest["edges"]]
        assert len(names) == count == len(set(names))
