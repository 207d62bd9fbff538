"""What reaches Sentry: captured with a local transport, no personal data in it."""

import sentry_sdk

from portalwerk.platform.errors import SCRUBBED, init_sentry

NAME = " ".join(["Erika", "Mustermann"])
SESSION = "-".join(["secret", "session", "key"])


class Captured(sentry_sdk.transport.Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


def events(transport):
    return [
        item.payload.json
        for env in transport.envelopes
        for item in env.items
        if item.headers.get("type") == "event"
    ]


def test_unexpected_error_is_reported_without_cookies_or_form_data(client_for, tenant_a, settings):
    transport = Captured()
    init_sentry("https://public@sentry.invalid/1", transport=transport)
    try:
        settings.DEBUG_PROPAGATE_EXCEPTIONS = False
        client = client_for(tenant_a)
        client.raise_request_exception = False
        client.cookies["sessionid"] = SESSION
        from django.urls import path

        def boom(request):
            raise RuntimeError("boom")

        settings.ROOT_URLCONF = type("U", (), {"urlpatterns": [path("boom/", boom)]})
        # built at run time: the report carries source lines of this file as context
        client.post("/boom/", {"name": NAME})
        sentry_sdk.flush()
    finally:
        sentry_sdk.init(dsn=None)
    reported = events(transport)
    assert len(reported) == 1
    text = str(reported[0])
    assert "boom" in text
    assert NAME not in text
    assert SESSION not in text
    assert reported[0]["request"].get("data") == SCRUBBED


def test_validation_errors_are_not_reported():
    from django.core.exceptions import ValidationError

    from portalwerk.platform.errors import before_send

    try:
        raise ValidationError("bad input")
    except ValidationError as exc:
        hint = {"exc_info": (type(exc), exc, exc.__traceback__)}
    assert before_send({"message": "x"}, hint) is None
