"""The shared rate limiter: fixed windows counted in PostgreSQL, shared by every connection,
pruned as it goes, keys stored only as hashes."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform import ratelimits
from portalwerk.platform.forms import throttle
from portalwerk.platform.ratelimits.models import Counter
from portalwerk.tenants.models import Tenant

NOON = dt.datetime(2026, 3, 2, 12, 0, 30, tzinfo=dt.UTC)


@pytest.fixture
def in_alpha(tenant_a):
    connection.set_tenant(tenant_a)
    yield tenant_a
    connection.set_schema_to_public()


def test_hits_past_the_allowance_are_limited_until_the_window_ends(in_alpha):
    results = [
        ratelimits.hit("test", "198.51.100.7", allowed=2, window_seconds=60, now=NOON)
        for _ in range(4)
    ]
    assert results[:2] == [None, None]
    assert [r.count for r in results[2:]] == [3, 4]
    assert results[2].retry_after == 30 and results[2].allowed == 2
    # the next window starts again at one
    later = NOON + dt.timedelta(seconds=30)
    assert ratelimits.hit("test", "198.51.100.7", allowed=2, window_seconds=60, now=later) is None


def test_kinds_and_keys_are_counted_apart(in_alpha):
    assert ratelimits.hit("test-a", "x", allowed=1, window_seconds=60, now=NOON) is None
    assert ratelimits.hit("test-b", "x", allowed=1, window_seconds=60, now=NOON) is None
    assert ratelimits.hit("test-a", "y", allowed=1, window_seconds=60, now=NOON) is None
    assert ratelimits.hit("test-a", "x", allowed=1, window_seconds=60, now=NOON) is not None


@pytest.mark.parametrize("key", ["", None])
def test_hits_without_a_key_are_not_counted(in_alpha, key):
    assert ratelimits.hit("test", key, allowed=0, window_seconds=60) is None
    assert not Counter.objects.exists()


def test_only_a_hash_of_the_key_is_stored(in_alpha):
    ratelimits.hit("test", "someone@example.org", allowed=5, window_seconds=60, now=NOON)
    [row] = Counter.objects.all()
    assert "someone" not in row.key and row.key == ratelimits.digest("someone@example.org")
    assert row.window_start == dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    assert row.expires_at == dt.datetime(2026, 3, 2, 12, 1, tzinfo=dt.UTC)


def test_a_new_window_prunes_the_expired_ones(in_alpha):
    ratelimits.hit("test", "a", allowed=5, window_seconds=60, now=NOON)
    ratelimits.hit("test-hour", "a", allowed=5, window_seconds=3600, now=NOON)
    # the first hit of a later window prunes what has expired by then
    ratelimits.hit("test", "b", allowed=5, window_seconds=60, now=NOON + dt.timedelta(minutes=2))
    assert set(Counter.objects.values_list("kind", "window_start__minute")) == {
        ("test-hour", 0),
        ("test", 2),
    }
    assert ratelimits.purge(now=NOON + dt.timedelta(hours=2)) == 2
    assert not Counter.objects.exists()


def test_each_schema_counts_its_own(tenant_a, tenant_b):
    with schema_context(tenant_a.schema_name):
        assert ratelimits.hit("test", "x", allowed=1, window_seconds=60, now=NOON) is None
    with schema_context(tenant_b.schema_name):
        assert ratelimits.hit("test", "x", allowed=1, window_seconds=60, now=NOON) is None
    with schema_context("public"):
        assert ratelimits.hit("test", "x", allowed=1, window_seconds=60, now=NOON) is None
    with schema_context(tenant_a.schema_name):
        assert ratelimits.hit("test", "x", allowed=1, window_seconds=60, now=NOON) is not None


def test_counts_are_shared_by_all_connections(live_db, settings):
    # given the form-start limit of 3 per hour, counted by this connection twice
    settings.PORTALWERK_FORM_RATE_LIMITS = {"start": 3, "submit": 0}
    schema = Tenant.objects.get(slug="alpha").schema_name
    ip = "198.51.100.99"
    outcomes = []

    def another_process():
        # a thread has its own Django connection, as another web process would
        try:
            connection.set_schema(schema)
            outcomes.append(throttle.allow("start", ip))
            outcomes.append(throttle.allow("start", ip))
        finally:
            connection.close()

    try:
        with schema_context(schema):
            assert throttle.allow("start", ip) and throttle.allow("start", ip)
        # when another connection counts the same address
        thread = threading.Thread(target=another_process)
        thread.start()
        thread.join(timeout=30)
        # then it sees this connection's count: one more is allowed, then no more
        assert outcomes == [True, False]
        with schema_context(schema):
            assert not throttle.allow("start", ip)
    finally:
        with schema_context(schema):
            Counter.objects.filter(kind="forms-start-ip").delete()
