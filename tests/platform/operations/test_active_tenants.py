"""The daily gauge of active tenants: one row per tenant and day in public, counted at scrape
time, so the series stay three however many tenants there are."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portalwerk.platform.operations import activity
from portalwerk.platform.operations.models import TenantActivity
from tests.platform.operations.test_metrics import TOKEN, scrape, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(settings):
    settings.PORTALWERK_METRICS_TOKEN = TOKEN
    return TOKEN


@pytest.fixture(autouse=True)
def _new_process():
    activity.forget()
    yield
    activity.forget()


def test_tenants_with_requests_are_counted_once_per_day_week_and_month(
    token, client_for, tenant_a, tenant_b
):
    today = timezone.localdate()
    TenantActivity.objects.create(schema_name="ten_days_ago", day=today - datetime.timedelta(10))
    TenantActivity.objects.create(schema_name="three_days_ago", day=today - datetime.timedelta(3))
    TenantActivity.objects.create(
        schema_name=tenant_b.schema_name, day=today - datetime.timedelta(1)
    )

    assert client_for(tenant_a).get("/").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client_for(tenant_a).get("/").status_code == 200
    assert client_for(tenant_b).get("/").status_code == 200

    families = scrape()
    assert value(families, "portalwerk_tenants_active", period="day") == 2
    assert value(families, "portalwerk_tenants_active", period="week") == 3  # b counted once
    assert value(families, "portalwerk_tenants_active", period="month") == 4
    assert {s.labels["period"] for s in families["portalwerk_tenants_active"]} == {
        "day",
        "week",
        "month",
    }
    # the second request of the day writes nothing
    assert not [q for q in second.captured_queries if "operations_tenantactivity" in q["sql"]]
    assert TenantActivity.objects.filter(day=today).count() == 2


def test_probes_and_the_base_host_do_not_count_and_old_days_are_dropped(
    token, client_for, platform_tenant
):
    today = timezone.localdate()
    TenantActivity.objects.create(schema_name="long_gone", day=today - datetime.timedelta(60))

    assert client_for(platform_tenant).get("/").status_code == 200
    scrape()  # a probe by pod IP

    assert value(scrape(), "portalwerk_tenants_active", period="day") == 0
    assert TenantActivity.objects.filter(schema_name="long_gone").exists()


def test_the_first_mark_of_a_day_drops_rows_past_the_kept_days(client_for, tenant_a):
    today = timezone.localdate()
    TenantActivity.objects.create(schema_name="long_gone", day=today - datetime.timedelta(60))
    TenantActivity.objects.create(schema_name="recent", day=today - datetime.timedelta(20))

    assert client_for(tenant_a).get("/").status_code == 200

    assert set(TenantActivity.objects.values_list("schema_name", flat=True)) == {
        "recent",
        tenant_a.schema_name,
    }
