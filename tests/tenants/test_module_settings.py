"""Modules switched off and on after creation: pages and API answer "module off", the data stays
and is back when the module is on again; tenant admins only within their contract."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.catalog import demo
from portalwerk.platform.catalog.models import Service
from portalwerk.tenants import module_settings
from portalwerk.tenants.models import Tenant
from tests.conftest import PASSWORD

QUERY = "{ categories(first: 5) { edges { node { name } } } }"


@pytest.fixture
def catalogue(district, tenant_a):
    cache.clear()
    demo.seed_library()
    demo.seed_tenant(district)
    demo.seed_tenant(tenant_a)
    yield
    cache.clear()


def api_codes(client) -> list[str]:
    body = client.post(
        "/graphql/", data=json.dumps({"query": QUERY}), content_type="application/json"
    ).json()
    return [e["extensions"]["code"] for e in body.get("errors", [])]


def services_in(tenant) -> int:
    with schema_context(tenant.schema_name):
        return Service.objects.count()


def test_tenant_admin_switches_the_catalogue_off_and_on_and_keeps_its_data(
    catalogue, client_for, tenant_a, tenant_admin, django_capture_on_commit_callbacks
):
    admin = client_for(tenant_a)
    admin.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert admin.sign_in(tenant_admin.email, PASSWORD).status_code == 302
    count = services_in(tenant_a)
    on = ["forms", "appointments", "payments"]

    # when the tenant admin unticks the catalogue in the back office
    # (the test's transaction never commits: run what the commit would, the routing refresh)
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin.post("/backoffice/modules/", {"module": on}, follow=True)
    page_off = client_for(tenant_a).get("/services/reisepass/")
    api_off = api_codes(client_for(tenant_a))
    kept = services_in(tenant_a)
    # and ticks it again
    with django_capture_on_commit_callbacks(execute=True):
        admin.post("/backoffice/modules/", {"module": ["catalog", *on]})
    page_on = client_for(tenant_a).get("/services/reisepass/")

    # then
    assert "The modules are saved." in saved.content.decode()
    assert page_off.status_code == 404 and api_off == ["module_off"]
    assert kept == count > 0
    assert page_on.status_code == 200 and api_codes(client_for(tenant_a)) == []
    with schema_context(tenant_a.schema_name):
        details = list(
            Entry.objects.filter(action="tenant.modules_changed")
            .order_by("pk")
            .values_list("detail", flat=True)
        )
    assert details == [
        {"switched_on": [], "switched_off": ["catalog"]},
        {"switched_on": ["catalog"], "switched_off": []},
    ]


def test_the_modules_page_offers_only_what_the_contract_allows(client_for, tenant_a, tenant_admin):
    Tenant.objects.filter(pk=tenant_a.pk).update(
        allowed_modules=["catalog", "forms"], modules=["catalog", "forms"]
    )
    admin = client_for(tenant_a)
    admin.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    admin.sign_in(tenant_admin.email, PASSWORD)

    page = admin.get("/backoffice/modules/").content.decode()
    forged = admin.post("/backoffice/modules/", {"module": ["catalog", "forms", "payments"]})

    assert 'id="module-payments" disabled' in page
    assert "Not part of your contract" in page
    assert forged.status_code == 400 and "does not include: payments" in forged.content.decode()
    assert Tenant.objects.get(pk=tenant_a.pk).modules == ["catalog", "forms"]


def test_narrowing_the_contract_switches_off_what_it_no_longer_allows(db, operator, tenant_b):
    tenant = module_settings.set_allowed_modules(
        actor=from_user(operator), slug="beta", allowed=["catalog"]
    )

    assert tenant.allowed_modules == ["catalog"] and tenant.modules == ["catalog"]
    entry = Entry.objects.get(action="tenant.allowed_modules_changed")  # public: the operator's
    assert entry.object_id == "beta" and entry.detail["switched_off"] == [
        "forms",
        "appointments",
        "payments",
    ]


def test_tenant_admins_neither_set_the_contract_nor_touch_another_tenant(
    tenant_a, tenant_b, tenant_admin
):
    actor = from_user(tenant_admin)
    with schema_context(tenant_a.schema_name):
        with pytest.raises(ValidationError) as contract:
            module_settings.set_allowed_modules(actor=actor, slug="alpha", allowed=[])
        with pytest.raises(ValidationError) as other:
            module_settings.set_modules(actor=actor, slug="beta", off=["catalog"])

    assert contract.value.error_dict["__all__"][0].code == "permission_denied"
    assert other.value.error_dict["slug"][0].code == "not_found"
    assert Tenant.objects.get(pk=tenant_b.pk).modules == Tenant.objects.get(pk=tenant_a.pk).modules


def test_operator_console_sets_contract_and_modules(client_for, operator, tenant_b):
    console = client_for("localhost")
    console.sign_in(operator.email, PASSWORD)

    saved = console.post(
        f"/admin/tenants/tenant/{tenant_b.pk}/change/",
        {"allowed_modules": ["catalog", "forms"], "modules": ["catalog"]},
    )
    refused = console.post(
        f"/admin/tenants/tenant/{tenant_b.pk}/change/",
        {"allowed_modules": ["catalog"], "modules": ["catalog", "payments"]},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert saved.status_code == 302
    assert refused.status_code == 200 and "does not include: payments" in refused.content.decode()
    tenant = Tenant.objects.get(pk=tenant_b.pk)
    assert tenant.allowed_modules == ["catalog", "forms"] and tenant.modules == ["catalog"]
