"""Error reporting to Sentry, without personal data (DESIGN.md, "Security and data protection";
docs/operators/logging.md).

Every event and transaction carries the tenant, the release and the request (or job) id as tags.
What is taken out before anything leaves the process:
- request bodies (form answers, GraphQL queries and variables), cookies, query strings, the
  `Authorization`, cookie and CSRF headers, the user, and any path beyond its URL route;
- keys that name personal data wherever they occur (sentry-sdk's EventScrubber, recursively:
  `answers`, `variables`, `graphql.document`, `email`, ...);
- email addresses and IBANs inside any text, such as an exception's message;
- the GraphQL document text in spans.
Errors a user caused (ValidationError, PermissionDenied, 404, GraphQL validation and permission
errors, suspicious requests) are answered to the user and never sent.
"""

from __future__ import annotations

import os
import re
from importlib import metadata
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.http import Http404
from graphql import GraphQLError
from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST, EventScrubber

from portalwerk.platform.observability import context

SCRUBBED = "[scrubbed]"
# Expected outcomes a user caused; they are answered in the page or payload, not incidents.
EXPECTED = (ValidationError, PermissionDenied, Http404, SuspiciousOperation)
# Keys whose values are personal data, or may be, wherever they are in an event.
PERSONAL_KEYS = [
    "answers",
    "variables",
    "graphql.document",
    "document",
    "query",
    "email",
    "full_name",
    "first_name",
    "last_name",
    "street",
    "address",
    "iban",
    "phone",
    "body",
    "subject",
]
HEADERS_OUT = {"cookie", "authorization", "x-csrftoken", "x-forwarded-for", "x-real-ip"}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
# Two letters, two check digits, then 11-30 characters, in groups or not (DE89 3704 0044 …).
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
scrubber = EventScrubber(
    denylist=DEFAULT_DENYLIST + PERSONAL_KEYS,
    pii_denylist=DEFAULT_PII_DENYLIST,
    recursive=True,
)


def is_expected(error: BaseException | None) -> bool:
    if isinstance(error, GraphQLError):
        # a GraphQL error without an original one is a parse, validation or permission error,
        # or a refusal raised on purpose; otherwise it wraps what a resolver raised
        cause = error.original_error
        return cause is None or cause is error or is_expected(cause)
    return isinstance(error, EXPECTED)


def _scrub_text(value):
    if isinstance(value, str):
        return IBAN.sub("[iban]", EMAIL.sub("[email]", value))
    if isinstance(value, dict):
        return {key: _scrub_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub_text(item) for item in value]
    return value


def _scrub_request(event: dict) -> None:
    request = event.get("request")
    if not isinstance(request, dict):
        return
    for key in ("data", "cookies", "query_string"):
        if key in request:
            request[key] = SCRUBBED
    request.pop("env", None)
    headers = request.get("headers") or {}
    for header in list(headers):
        if header.lower() in HEADERS_OUT:
            headers[header] = SCRUBBED
    # The path can hold tokens (`/forms/resume/<token>/`); the transaction is its URL route.
    url = request.get("url")
    route = event.get("transaction")
    if url and isinstance(route, str) and route.startswith("/"):
        parts = urlsplit(url)
        request["url"] = f"{parts.scheme}://{parts.netloc}{route}"
    elif url:
        parts = urlsplit(url)
        request["url"] = f"{parts.scheme}://{parts.netloc}/"


def _tag(event: dict) -> None:
    tags = event.setdefault("tags", {})
    for key, value in context.current().items():
        tags.setdefault(key, str(value))
    if event.get("release"):
        tags.setdefault("release", event["release"])


def _scrub(event: dict) -> dict:
    _scrub_request(event)
    event.pop("user", None)
    # (the scrubber itself has run already: sentry-sdk applies `event_scrubber` first)
    for span in event.get("spans") or []:
        data = span.get("data") or {}
        if "graphql.document" in data:
            data["graphql.document"] = SCRUBBED
    _tag(event)
    return _scrub_text(event)


def _name_graphql_crash(event: dict, record) -> None:
    """A crashed resolver reaches Sentry as graphql/core's log line (strawberry's integration
    only sees the error as masked for the client); the line's text quotes the document, which
    may hold literals a client typed in, so the event says where it failed instead."""
    error = record.msg
    path = ".".join(str(part) for part in getattr(error, "path", None) or ()) or "-"
    message = f"GraphQL resolver failed at {path}"
    event["logentry"] = {"message": message, "formatted": message, "params": []}
    event.pop("message", None)


def before_send(event: dict, hint: dict) -> dict | None:
    exc_info = hint.get("exc_info")
    if exc_info and is_expected(exc_info[1]):
        return None
    record = hint.get("log_record")
    if record is not None and record.name == "strawberry.execution":
        _name_graphql_crash(event, record)
    return _scrub(event)


def before_send_transaction(event: dict, hint: dict) -> dict:
    return _scrub(event)


def release() -> str:
    """SENTRY_RELEASE, else the installed portalwerk's version."""
    explicit = os.environ.get("SENTRY_RELEASE", "")
    if explicit:
        return explicit
    try:
        return f"portalwerk@{metadata.version('portalwerk')}"
    except metadata.PackageNotFoundError:
        return "portalwerk@unknown"


def init_sentry(dsn: str, **options) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import ignore_logger, unignore_logger
    from sentry_sdk.integrations.strawberry import StrawberryIntegration

    settings = {
        "release": release(),
        "environment": os.environ.get("SENTRY_ENVIRONMENT", "production"),
        "traces_sample_rate": float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        **options,
    }
    sentry_sdk.init(
        dsn=dsn,
        # send_default_pii stays unset (off); data_collection would switch the scrubber off.
        event_scrubber=scrubber,
        # Frame locals hold request data and model instances: personal data stays out.
        include_local_variables=False,
        max_request_body_size="never",
        integrations=[
            DjangoIntegration(transaction_style="url"),
            StrawberryIntegration(async_execution=False),
        ],
        before_send=before_send,
        before_send_transaction=before_send_transaction,
        **settings,
    )
    # The request log's `request_failed` repeats what the Django integration reports already;
    # procrastinate's lines quote a job's arguments, and a failed job is reported by the job
    # log (observability.jobs) with its tags.
    ignore_logger("django_structlog.middlewares.request")
    ignore_logger("procrastinate*")
    # strawberry's integration reports GraphQL errors only as the view sends them, after
    # graphql/core masked a crash to "Unexpected error." without its cause, and it silences
    # strawberry's own error log, which is where the crash is logged with its traceback
    # (graphql/core/schema.py). That log line is the report; the masked copies are dropped.
    unignore_logger("strawberry.execution")
