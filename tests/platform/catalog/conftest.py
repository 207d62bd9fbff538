"""Catalogue fixtures: the demo catalogue seeded into the test district and member (rolled back
with each test), and helpers to read and write inside a tenant's schema."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context

from portalwerk.platform.catalog import demo
from portalwerk.platform.catalog.models import Service


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Portal settings are cached per schema; tests roll their rows back, so forget them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(district, tenant_a):
    """testland (district) and alpha (its member) with the demo catalogue; beta has none."""
    demo.seed_library()
    demo.seed_tenant(district)
    demo.seed_tenant(tenant_a)
    return {"district": district, "member": tenant_a}


@pytest.fixture
def service_in():
    def get(tenant, slug: str) -> Service:
        with schema_context(tenant.schema_name):
            return Service.objects.get(slug=slug)

    return get


@pytest.fixture
def english():
    """Makes a client ask for English, as the language switch does (its cookie)."""

    def switch(client):
        client.cookies["django_language"] = "en"
        return client

    return switch
