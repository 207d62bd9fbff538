"""Fixtures of the hand-over tests: a real webhook receiver on loopback, a media folder of the
test's own and a published form that takes a photo."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.platform.handover.receiver import Receiver
from tests.platform.handover.webhook_helpers import SECRET, publish_photo_form


@pytest.fixture
def receiver():
    running = Receiver(SECRET).start()
    yield running
    running.stop()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def photo_form(tenant_a, clerk, media):
    with schema_context(tenant_a.schema_name):
        return publish_photo_form(clerk)
