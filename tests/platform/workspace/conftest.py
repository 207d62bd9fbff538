"""Fixtures of the workspace pages: a clerk's signed-in client, a form with a repeating group
and a photo, submissions made through the forms services."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.helpers.forms import publish_form
from tests.platform.forms.test_inbox_readable import LICENCE


@pytest.fixture(autouse=True)
def _cold_cache(settings, tmp_path):
    from django.core.cache import cache

    cache.clear()  # rate-limit counters of sign-ins
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def licence_form(tenant_a, clerk):
    with schema_context(tenant_a.schema_name):
        return publish_form(clerk, "licence", {"de": "Angelkarte", "en": "Angling card"}, LICENCE)


@pytest.fixture
def clerk_client(client_for, tenant_a, clerk):
    client = client_for(tenant_a)
    assert client.sign_in(clerk.email).status_code == 302
    return client
