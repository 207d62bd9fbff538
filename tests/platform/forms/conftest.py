"""Fixtures for forms and casework: a published form in tenant A."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.forms.models import Form
from tests.helpers.forms import DEFINITION, publish_form


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with a cold cache (rate-limit counters are in the database and roll
    back with each test)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def published_form(tenant_a, clerk, settings, tmp_path) -> Form:
    settings.MEDIA_ROOT = tmp_path / "media"
    with schema_context(tenant_a.schema_name):
        return publish_form(
            clerk,
            "dog-licence",
            {"de": "Hundeanmeldung", "en": "Dog registration"},
            DEFINITION,
            service_key="hundesteuer",
        )
