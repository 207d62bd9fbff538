"""Error reporting to Sentry, without personal data (DESIGN.md, "Security and data protection")."""

from __future__ import annotations

import os

SCRUBBED = "[scrubbed]"
# Expected outcomes a user caused; they are answered in the payload and are not incidents.
EXPECTED = {"ValidationError", "PermissionDenied", "Http404", "GraphQLError"}


def _scrub_request(event: dict) -> None:
    request = event.get("request") or {}
    for key in ("data", "cookies", "query_string"):
        if key in request:
            request[key] = SCRUBBED
    headers = request.get("headers") or {}
    for header in list(headers):
        if header.lower() in {"cookie", "authorization", "x-csrftoken"}:
            headers[header] = SCRUBBED
    event.pop("user", None)


def before_send(event: dict, hint: dict) -> dict | None:
    exc_info = hint.get("exc_info")
    if exc_info and exc_info[0].__name__ in EXPECTED:
        return None
    _scrub_request(event)
    return event


def before_send_transaction(event: dict, hint: dict) -> dict:
    _scrub_request(event)
    for span in event.get("spans") or []:
        data = span.get("data") or {}
        # strawberry records the whole query text; personal data may be inlined in it.
        if "graphql.document" in data:
            data["graphql.document"] = SCRUBBED
    return event


def init_sentry(dsn: str, **options) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.strawberry import StrawberryIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        # Frame locals hold request data and model instances: personal data stays out.
        include_local_variables=False,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        integrations=[DjangoIntegration(), StrawberryIntegration(async_execution=False)],
        before_send=before_send,
        before_send_transaction=before_send_transaction,
        **options,
    )
