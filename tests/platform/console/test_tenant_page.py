"""One tenant's page in the console: what it shows, its actions (audited in public), who may
open it, and bad input (unknown slug, unknown action, Terraform not configured) never a 500."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.operations.models import TenantActivity
from portalwerk.tenants.models import Tenant, TenantStatus
from tests.conftest import PASSWORD, make_user


def _page(console, slug="alpha", lang="de") -> str:
    response = console.get(f"/console/tenants/{slug}/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200, response.content.decode()[:3000]
    return response.content.decode()


def test_the_page_shows_status_modules_domains_and_usage(console, tenant_a, citizen, clerk):
    import datetime as dt

    from django.utils import timezone

    Tenant.objects.filter(pk=tenant_a.pk).update(modules=["catalog", "forms"])
    TenantActivity.objects.create(schema_name=tenant_a.schema_name, day=timezone.localdate())
    TenantActivity.objects.create(
        schema_name=tenant_a.schema_name, day=timezone.localdate() - dt.timedelta(days=40)
    )
    html = _page(console, lang="en")
    assert "<h1>Stadt Alpha</h1>" in html
    assert "Kreis Testland" in html  # its district, linked
    assert 'href="/console/tenants/testland/"' in html
    assert "alpha.localhost (primary)" in html
    # usage: one citizen and one clerk, a visit today (the one 40 days ago is outside 30)
    assert "<dt>Active staff accounts</dt><dd>1</dd>" in html
    assert "<dt>Active citizen accounts</dt><dd>1</dd>" in html
    assert f"<dd>{timezone.localdate():%d.%m.%Y}</dd>" in html
    assert "<dt>Days with visitors in the last 30</dt><dd>1</dd>" in html
    # modules: appointments allowed (the default contract) but off
    assert '<th scope="row">appointments</th><td>yes</td><td>no</td>' in html
    assert "Up to date with the template." in html


def test_an_unknown_tenant_is_the_404_page(console, db):
    assert console.get("/console/tenants/atlantis/").status_code == 404
    assert console.get("/console/tenants/public/").status_code == 404
    assert console.get("/console/tenants/platform/").status_code == 404  # the base host's row


def test_suspend_and_resume_are_audited_in_public(console, operator, tenant_b):
    response = console.post("/console/tenants/beta/", {"action": "suspend"})
    assert response.status_code == 302
    assert Tenant.objects.get(pk=tenant_b.pk).status == TenantStatus.SUSPENDED
    html = _page(console, "beta")
    assert "Gemeinde Beta ist gesperrt: Das Portal ist geschlossen." in html
    assert "Portal wieder freigeben" in html
    console.post("/console/tenants/beta/", {"action": "resume"})
    assert Tenant.objects.get(pk=tenant_b.pk).status == TenantStatus.ACTIVE
    entries = Entry.objects.filter(
        object_type="tenant", object_id="beta", action__in=["tenant.suspended", "tenant.resumed"]
    ).order_by("id")
    assert [(e.action, e.actor_user_id) for e in entries] == [
        ("tenant.suspended", operator.pk),
        ("tenant.resumed", operator.pk),
    ]
    assert connection.schema_name == "public"
    # and the page lists them under what operators did
    assert "operator@platform.example – Mandant gesperrt" in _page(console, "beta")


def test_an_unknown_action_is_refused_with_a_message(console, tenant_b):
    response = console.post(
        "/console/tenants/beta/", {"action": "delete\x00"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Unknown action." in response.content.decode()
    assert Tenant.objects.get(pk=tenant_b.pk).status == TenantStatus.ACTIVE


def test_resuming_an_active_tenant_says_why_not(console, tenant_b):
    response = console.post("/console/tenants/beta/", {"action": "resume"})
    # already active: nothing to do, the service answers with the tenant unchanged
    assert response.status_code == 302
    assert not Entry.objects.filter(object_id="beta", action="tenant.resumed").exists()


def test_the_plan_without_keycloak_settings_shows_terraforms_line_not_a_500(
    console, tenant_a, settings
):
    settings.PORTALWERK_TF_KEYCLOAK_URL = ""
    response = console.post("/console/tenants/alpha/plan/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Terraform could not run" in html
    assert "Set PORTALWERK_TF_KEYCLOAK_URL" in html
    assert "Apply now" not in html
    # applying without having seen a plan (no confirmation) goes back to the tenant
    response = console.post("/console/tenants/alpha/apply/")
    assert response.status_code == 302
    response = console.post("/console/tenants/alpha/apply/", {"confirmed": "yes"})
    assert response.status_code == 200
    assert "Terraform konnte nicht laufen" in response.content.decode()
    assert not Entry.objects.filter(action__startswith="infra.").exists()
    # the plan is a POST: a GET changes nothing and says so
    assert console.get("/console/tenants/alpha/plan/").status_code == 405


@pytest.fixture
def public_staff(platform_tenant):
    """Accounts on the base host that are not operators."""
    return [
        make_user(platform_tenant, "admin@platform.example", Role.TENANT_ADMIN),
        make_user(platform_tenant, "clerk@platform.example", Role.CLERK_PROCESSOR),
        make_user(platform_tenant, "citizen@platform.example", Role.CITIZEN),
    ]


PAGES = [
    ("get", "/console/"),
    ("get", "/console/upgrades/"),
    ("get", "/console/tenants/beta/"),
    ("post", "/console/tenants/beta/"),
    ("post", "/console/tenants/beta/plan/"),
    ("post", "/console/tenants/beta/apply/"),
    ("post", "/console/upgrades/"),
]


def test_only_operators_open_the_console(client_for, public_staff, tenant_b, tenant_admin):
    from django.core.cache import cache

    before = Entry.objects.count()
    anonymous = client_for("localhost")
    for method, path in PAGES:
        response = getattr(anonymous, method)(path, {"action": "suspend", "confirmed": "yes"})
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    for user in public_staff:
        cache.clear()
        client = client_for("localhost")
        assert client.sign_in(user.email, PASSWORD).status_code == 302
        for method, path in PAGES:
            response = getattr(client, method)(path, {"action": "suspend", "confirmed": "yes"})
            assert response.status_code == 403, (user.email, path)
            assert "Stadt Alpha" not in response.content.decode()
    # a tenant admin on their own tenant's host finds no console there
    own = client_for(tenant_admin_tenant := Tenant.objects.get(slug="alpha"))
    assert tenant_admin_tenant.schema_name == "t_alpha"
    assert own.sign_in(tenant_admin.email, PASSWORD).status_code == 302
    assert own.get("/console/").status_code == 404
    # nothing changed, nothing was recorded
    connection.set_schema_to_public()
    assert Tenant.objects.get(pk=tenant_b.pk).status == TenantStatus.ACTIVE
    assert Entry.objects.count() == before


def test_the_services_refuse_a_tenant_admin_whatever_calls_them(tenant_b, tenant_admin):
    from django.core.exceptions import ValidationError

    from portalwerk.infra import services as infra
    from portalwerk.platform.authz.actors import from_user
    from portalwerk.tenants import services, upgrades

    actor = from_user(tenant_admin)
    before = Entry.objects.count()
    for call in (
        lambda: services.suspend_tenant(actor=actor, slug="beta"),
        lambda: infra.planned(actor=actor, slug="beta"),
        lambda: infra.apply(actor=actor, slug="beta"),
        lambda: upgrades.start_migration(actor=actor),
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.error_dict["__all__"][0].code == "permission_denied"
    assert Tenant.objects.get(pk=tenant_b.pk).status == TenantStatus.ACTIVE
    with schema_context("public"):
        assert Entry.objects.count() == before


def test_suspending_a_tenant_still_being_provisioned_is_refused_with_the_reason(console, tenant_b):
    Tenant.objects.filter(pk=tenant_b.pk).update(status=TenantStatus.PROVISIONING)
    # the page offers no such button; a request made by hand gets the service's refusal
    response = console.post(
        "/console/tenants/beta/", {"action": "suspend"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Gemeinde Beta cannot be suspended while its status is “provisioning”." in html
    assert 'role="alert"' in html
    assert Tenant.objects.get(pk=tenant_b.pk).status == TenantStatus.PROVISIONING


def test_a_tenant_without_a_schema_yet_has_a_page_not_a_500(console, db):
    # a row whose schema is not made yet (provisioning): nothing to count inside it
    Tenant.objects.create(
        schema_name="t_werdendorf",
        name="Gemeinde Werdendorf",
        slug="werdendorf",
        kind="municipality",
        status=TenantStatus.PROVISIONING,
    )
    html = _page(console, "werdendorf", lang="en")
    assert "The tenant has no schema yet: nothing to count." in html
    assert "migrations of the template are missing." in html  # it has none of them
