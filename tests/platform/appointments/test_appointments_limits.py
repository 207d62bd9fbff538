"""Abuse limits: per IP and per email address on search and booking, holds per session, the
per-address cap; each answers with a clear message, never a 500."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context
from test_appointments_pages import walk_to_details

from portalwerk.platform.appointments import limits
from portalwerk.platform.appointments.models import Appointment
from portalwerk.platform.ratelimits.models import Counter
from portalwerk.tenants.models import Tenant


def days_url(setup) -> str:
    return f"/appointments/days/?service={setup.id_card.pk}&office={setup.office.pk}"


@override_settings(PORTALWERK_APPOINTMENT_LIMITS={"search_per_ip_per_minute": 3})
def test_slot_search_is_limited_per_ip(setup, client_for, tenant_a):
    client = client_for(tenant_a)
    statuses = [client.get(days_url(setup)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(days_url(setup))
    assert "Too many requests" in limited.content.decode()
    # another address is not affected
    assert client.get(days_url(setup), REMOTE_ADDR="10.1.2.3").status_code == 200


@override_settings(PORTALWERK_APPOINTMENT_LIMITS={"search_per_email_per_minute": 2})
def test_slot_search_is_limited_per_signed_in_address(setup, client_for, tenant_a, citizen):
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    statuses = [
        client.get(days_url(setup), REMOTE_ADDR=f"10.0.0.{n}").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]


@override_settings(PORTALWERK_APPOINTMENT_LIMITS={"hold_per_email_per_hour": 1})
def test_booking_is_limited_per_email_address_across_ips(setup, client_for, tenant_a):
    client = client_for(tenant_a)
    details_url, _start = walk_to_details(client, setup)
    first = client.post(details_url, {"name": "A", "email": "bot@example.org"})
    assert first.status_code == 302
    other = client_for(tenant_a)
    second = other.post(
        details_url, {"name": "A", "email": "BOT@example.org"}, REMOTE_ADDR="10.9.9.9"
    )
    assert second.status_code == 429
    assert Appointment.objects.count() == 1


@override_settings(PORTALWERK_APPOINTMENT_LIMITS={"hold_per_ip_per_hour": 2})
def test_booking_is_limited_per_ip(setup, client_for, tenant_a):
    statuses = []
    for n in range(3):
        client = client_for(tenant_a)
        details_url, _start = walk_to_details(client, setup)
        statuses.append(
            client.post(details_url, {"name": "A", "email": f"p{n}@example.org"}).status_code
        )
    assert statuses == [302, 302, 429]


@override_settings(PORTALWERK_APPOINTMENT_LIMITS={"holds_per_session": 1})
def test_holds_per_session_are_limited(setup, client_for, tenant_a):
    client = client_for(tenant_a)
    details_url, _start = walk_to_details(client, setup)
    assert client.post(details_url, {"name": "A", "email": "a@example.org"}).status_code == 302
    details_url_2, _later = walk_to_details(client, setup, pick=6)
    second = client.post(details_url_2, {"name": "A", "email": "b@example.org"})
    assert second.status_code == 400
    assert "You are already holding 1 time." in second.content.decode()
    assert Appointment.objects.count() == 1


def test_the_per_address_cap_is_a_message_on_the_page(setup, client_for, tenant_a):
    setup.office.booking_policy.max_active_per_email = 1
    setup.office.booking_policy.save()
    details_url, _start = walk_to_details(client_for(tenant_a), setup)
    assert (
        client_for(tenant_a)
        .post(details_url, {"name": "A", "email": "cap@example.org"})
        .status_code
        == 302
    )
    details_url_2, _later = walk_to_details(client_for(tenant_a), setup, pick=12)
    response = client_for(tenant_a).post(details_url_2, {"name": "A", "email": "cap@example.org"})
    assert response.status_code == 400
    assert "the most one address may hold" in response.content.decode()


def test_counts_are_shared_by_all_connections(live_db):
    # given 12 connections (as 12 server processes would have) counting the same address
    schema = Tenant.objects.get(slug="alpha").schema_name
    outcomes = []
    barrier = threading.Barrier(12)

    def request():
        try:
            connection.set_schema(schema)
            barrier.wait(timeout=30)
            limits.hit("test", "198.51.100.7", allowed=10, seconds=3600)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(12)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        # then exactly the allowed number got through
        assert sorted(outcomes) == ["ok"] * 10 + ["rate_limited"] * 2
    finally:
        with schema_context(schema):
            Counter.objects.filter(kind="appointments-test").delete()


@pytest.mark.parametrize("value", ["", None])
def test_requests_without_a_key_are_not_counted(in_alpha, value):
    assert limits.hit("test", value, allowed=0, seconds=60) is None
