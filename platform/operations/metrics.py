"""The metrics this process counts (prometheus_client). Labels take only values fixed by the
code (URL names, status classes, outcomes): never a tenant, a user or an id, so the number of
series stays the same at five or at five thousand tenants. Gauges of the queue, the hand-over
and the tenants are read from the database at scrape time instead (`exposition`).

With several web processes (gunicorn --workers N), set PROMETHEUS_MULTIPROC_DIR: every process
then writes its values to files there and a scrape of any one adds them all up
(prometheus_client's multiprocess mode; `operations.gunicorn` clears the folder at start)."""

from __future__ import annotations

from django.db import transaction
from prometheus_client import Counter, Histogram, disable_created_metrics

# `_created` series double the count and tell Prometheus nothing it needs
disable_created_metrics()

REQUEST_SECONDS = Histogram(
    "portalwerk_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by URL name and status class.",
    ["view", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
REQUEST_QUERIES = Histogram(
    "portalwerk_http_request_db_queries",
    "Database statements one request issued, by URL name.",
    ["view"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
)
SIGN_INS = Counter("portalwerk_sign_ins", "Sign-ins, by outcome (succeeded, failed).", ["outcome"])
APPOINTMENTS = Counter(
    "portalwerk_appointments",
    "Appointment bookings by what happened (held, confirmed, cancelled), once committed.",
    ["event"],
)
PAYMENTS = Counter(
    "portalwerk_payments",
    "Payments reaching a status (pending, paid, failed, expired, refunded, ...), once committed.",
    ["status"],
)


def count_on_commit(counter: Counter, **labels: str) -> None:
    """Count once the current transaction commits (a rolled-back booking never happened)."""
    transaction.on_commit(lambda: counter.labels(**labels).inc())


def _signed_in(**_kwargs) -> None:
    SIGN_INS.labels(outcome="succeeded").inc()


def _sign_in_failed(**_kwargs) -> None:
    SIGN_INS.labels(outcome="failed").inc()


def watch_sign_ins() -> None:
    """Django's own authentication signals, sent by `login()` and `authenticate()`: every way of
    signing in (local accounts, Keycloak) passes through them, so no sign-in path is edited."""
    from django.contrib.auth.signals import user_logged_in, user_login_failed

    user_logged_in.connect(_signed_in, dispatch_uid="operations.sign_ins")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="operations.sign_in_failures")
