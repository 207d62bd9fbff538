"""A target's address may not be the portal's own machine or the cloud's metadata service
outside development: a tenant admin's webhook or WebDAV address cannot reach what only the
platform should."""

from __future__ import annotations

import pytest

from portalwerk.platform.handover.backends import DeliveryError, Problem
from portalwerk.platform.handover.contrib.dms.backend import DMSTargetForm
from portalwerk.platform.handover.contrib.webhook.backend import WebhookBackend
from portalwerk.platform.handover.contrib.webhook.config import WebhookConfigForm

LOCAL = [
    "https://127.0.0.1/hook",
    "http://127.0.0.1:8080/hook",
    "https://localhost/hook",
    "https://[::1]/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://0.0.0.0/hook",
    "https://[::ffff:127.0.0.1]/hook",
]


@pytest.fixture
def production(settings):
    settings.PORTALWERK_ALLOW_LOCAL_ADDRESSES = False


@pytest.mark.parametrize("url", LOCAL)
def test_a_webhook_may_not_point_at_the_portal_itself(production, url):
    form = WebhookConfigForm(data={"url": url, "files": "links", "timeout_seconds": 10})
    assert not form.is_valid()
    assert "url" in form.errors


def test_a_back_office_on_the_data_centre_network_is_allowed(production):
    form = WebhookConfigForm(
        data={"url": "https://10.20.30.40/antraege", "files": "links", "timeout_seconds": 10}
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("url", LOCAL[:3])
def test_a_webdav_share_may_not_point_at_the_portal_itself(production, url):
    form = DMSTargetForm(data={"destination": "webdav", "url": url, "timeout": 30})
    form.is_valid()
    assert "url" in form.errors


def test_a_stored_target_is_checked_again_when_it_is_sent(production):
    # a target saved while the rule was off (or whose name now resolves to loopback)
    with pytest.raises(DeliveryError) as refused:
        WebhookBackend().deliver(None, {"url": "https://127.0.0.1:9/hook", "secret": "s"})
    assert refused.value.problem == Problem.CONFIGURATION and not refused.value.retry


def test_in_development_receivers_beside_the_portal_are_allowed(settings):
    settings.PORTALWERK_ALLOW_LOCAL_ADDRESSES = True
    form = WebhookConfigForm(
        data={"url": "http://127.0.0.1:8080/hook", "files": "links", "timeout_seconds": 10}
    )
    assert form.is_valid(), form.errors
