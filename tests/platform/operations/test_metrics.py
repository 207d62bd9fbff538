"""/metrics: Prometheus' text format for a scraper with the token, nothing for anyone else. The
series it shows after real requests, sign-ins, bookings, jobs and deliveries, read back with
prometheus_client's own parser; their labels never carry a tenant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families

from portalwerk.billing.payments import services as payments
from portalwerk.billing.payments.models import Payment, PaymentStatus
from portalwerk.billing.providers.base import RemoteState, RemoteStatus
from portalwerk.platform.appointments import services as appointments
from portalwerk.platform.authz.actors import anonymous
from tests.conftest import PASSWORD
from tests.helpers.appointments import NOW, at, make_office
from tests.helpers.forms import (
    FEE_ANSWERS,
    FEE_DEFINITION,
    FISHING_LICENCE,
    make_submission,
    publish_form,
)
from tests.platform.operations.conftest import probe
from tests.platform.operations.test_probes import _failed_delivery

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-for-the-tests-0123456789"


@pytest.fixture
def token(settings):
    settings.PORTALWERK_METRICS_TOKEN = TOKEN
    return TOKEN


def scrape() -> dict[str, list]:
    answer = probe("/metrics", Authorization=f"Bearer {TOKEN}")
    assert answer.status == 200, answer.text
    assert answer.headers["Content-Type"].startswith("text/plain; version=")
    return {family.name: family.samples for family in text_string_to_metric_families(answer.text)}


def value(families, name: str, sample: str | None = None, **labels) -> float:
    """The sum of `name`'s samples (or its `sample` series) whose labels include `labels`."""
    return sum(
        s.value
        for s in families.get(name, [])
        if (sample is None or s.name == sample) and labels.items() <= s.labels.items()
    )


def label_values(families, name: str, label: str) -> set[str]:
    return {s.labels[label] for s in families.get(name, []) if label in s.labels}


def test_metrics_are_off_without_a_token_and_refused_without_the_right_one(settings):
    settings.PORTALWERK_METRICS_TOKEN = ""
    assert probe("/metrics").status == 404
    settings.PORTALWERK_METRICS_TOKEN = TOKEN
    missing = probe("/metrics")
    assert missing.status == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert "portalwerk_" not in missing.text
    assert probe("/metrics", Authorization="Bearer wrong").status == 401
    assert probe("/metrics", Authorization=f"Basic {TOKEN}").status == 401
    assert probe("/metrics", Authorization=f"Bearer {TOKEN}").status == 200


def test_requests_to_two_tenants_add_no_label_values(token, client_for, tenant_a, tenant_b):
    # given a request to tenant A's home page and an unknown host
    client_for(tenant_a).get("/")
    probe("/no-such-page")
    before = scrape()
    views = label_values(before, "portalwerk_http_request_duration_seconds", "view")
    assert {"catalog:home", "unrouted"} <= views
    home_count = value(
        before,
        "portalwerk_http_request_duration_seconds",
        "portalwerk_http_request_duration_seconds_count",
        view="catalog:home",
        status="2xx",
    )
    # when tenant B's home page and A's again are requested
    assert client_for(tenant_b).get("/").status_code == 200
    assert client_for(tenant_a).get("/").status_code == 200
    after = scrape()
    # then the same series count two more requests, and no label value was added
    assert (
        value(
            after,
            "portalwerk_http_request_duration_seconds",
            "portalwerk_http_request_duration_seconds_count",
            view="catalog:home",
            status="2xx",
        )
        == home_count + 2
    )
    for name in ("portalwerk_http_request_duration_seconds", "portalwerk_http_request_db_queries"):
        assert {s.labels.get("view") for s in after[name]} == {
            s.labels.get("view") for s in before[name]
        }, name
        labels = {key for s in after[name] for key in s.labels}
        assert labels <= {"view", "status", "le"}, labels
    assert label_values(after, "portalwerk_http_request_duration_seconds", "status") <= {
        "2xx",
        "3xx",
        "4xx",
        "5xx",
    }
    # and each home page's statements were counted
    assert (
        value(
            after,
            "portalwerk_http_request_db_queries",
            "portalwerk_http_request_db_queries_sum",
            view="catalog:home",
        )
        > 0
    )
    # and nothing names a tenant
    text = probe("/metrics", Authorization=f"Bearer {TOKEN}").text
    assert "alpha" not in text and "beta" not in text


def test_sign_ins_bookings_and_payments_are_counted(
    token, client_for, tenant_a, tenant_admin, citizen, django_capture_on_commit_callbacks
):
    before = scrape()
    # when a citizen mistypes the password, then signs in
    browser = client_for(tenant_a)
    browser.sign_in(citizen.email, "wrong-password-123")
    browser.sign_in(citizen.email, PASSWORD)
    # and someone holds an appointment
    connection.set_tenant(tenant_a)
    office = make_office()
    with django_capture_on_commit_callbacks(execute=True):
        appointments.hold_appointment(
            actor=anonymous(),
            office=office.office,
            service_ids=[office.id_card.id],
            starts_at=at(dt.date(2027, 3, 3), "09:00"),
            name="Anna Muster",
            email="anna@example.org",
            now=NOW,
        )
    # and a citizen pays a fee
    form = publish_form(tenant_admin, "fishing", FISHING_LICENCE, FEE_DEFINITION)
    submission = make_submission(form, citizen, FEE_ANSWERS)
    payment = Payment.objects.create(
        reference=payments.next_payment_reference(),
        submission=submission,
        amount_cents=submission.fee_cents,
        status=PaymentStatus.PENDING,
        provider="demo",
        provider_ref="demo_metrics",
    )
    with django_capture_on_commit_callbacks(execute=True):
        payments.apply_remote_state(
            payment,
            RemoteState("demo_metrics", RemoteStatus.PAID, submission.fee_cents),
            source="test",
        )
    connection.set_schema_to_public()
    after = scrape()
    # then each is counted by outcome, never by person or tenant
    for outcome in ("failed", "succeeded"):
        assert (
            value(after, "portalwerk_sign_ins", outcome=outcome)
            == value(before, "portalwerk_sign_ins", outcome=outcome) + 1
        ), outcome
    assert value(after, "portalwerk_appointments", event="held") == (
        value(before, "portalwerk_appointments", event="held") + 1
    )
    assert value(after, "portalwerk_payments", status="paid") == (
        value(before, "portalwerk_payments", status="paid") + 1
    )
    assert label_values(after, "portalwerk_sign_ins", "outcome") <= {"failed", "succeeded"}


@pytest.fixture
def recording_backend(settings):
    settings.PORTALWERK_PLUGINS = {
        **settings.PORTALWERK_PLUGINS,
        "handover": ["tests.platform.handover.recording"],
    }


def test_queue_deliveries_and_tenants_are_read_from_the_database(
    token, recording_backend, tenant_a, tenant_admin, citizen
):
    # given a delivery that failed for good in tenant A, and the receipt jobs of its submit
    connection.set_tenant(tenant_a)
    _failed_delivery(tenant_a, tenant_admin, citizen, "angeln")
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT task_name, count(*) FROM procrastinate_jobs WHERE status = 'todo' "
            "AND scheduled_at IS NULL GROUP BY task_name"
        )
        waiting = dict(cursor.fetchall())
    assert waiting
    # when scraped
    families = scrape()
    # then the job gauges show each waiting task, with its queue, and how long it waited
    for task, count in waiting.items():
        assert value(families, "portalwerk_jobs_waiting", task=task) == count, task
        assert value(families, "portalwerk_jobs_oldest_wait_seconds", task=task) >= 0
    assert label_values(families, "portalwerk_jobs_waiting", "queue")
    # and the dead letter, the tenants by status and the database being up
    assert value(families, "portalwerk_handover_dead_letters") == 1
    assert value(families, "portalwerk_handover_dead_letter_tenants") == 1
    assert value(families, "portalwerk_tenants", status="active") >= 3
    assert value(families, "portalwerk_database_up") == 1
