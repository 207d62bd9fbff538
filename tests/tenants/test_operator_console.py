"""The operator console on the base host, used as an operator would: through the admin pages."""

from portalwerk.platform.audit.models import Entry as AuditEntry
from portalwerk.tenants.models import Tenant, TenantStatus
from tests.conftest import PASSWORD


def operator_client(client_for, operator):
    client = client_for("localhost")
    assert client.sign_in(operator.email, PASSWORD).status_code == 302
    return client


def test_operator_lists_tenants(client_for, operator, tenant_a):
    client = operator_client(client_for, operator)
    response = client.get("/admin/tenants/tenant/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stadt Alpha" in page
    assert "Gemeinde Beta" in page


def test_operator_creates_a_tenant_through_the_service(client_for, operator, district):
    client = operator_client(client_for, operator)
    response = client.post(
        "/admin/tenants/tenant/add/",
        {
            "name": "Gemeinde Konsoldorf",
            "slug": "konsoldorf",
            "kind": "municipality",
            "parent_slug": "testland",
            "official_key": "05998028",
            "extra_domains": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    tenant = Tenant.objects.get(slug="konsoldorf")
    assert tenant.status == TenantStatus.ACTIVE
    assert tenant.parent == district
    assert (
        AuditEntry.objects.get(
            object_type="tenant", object_id="konsoldorf", action="tenant.created"
        ).actor_user_id
        == operator.pk
    )


def test_operator_console_shows_the_services_errors(client_for, operator, district):
    client = operator_client(client_for, operator)
    response = client.post(
        "/admin/tenants/tenant/add/",
        {
            "name": "Gemeinde X",
            "slug": "x-dorf",
            "kind": "municipality",
            "parent_slug": "atlantis",
            "official_key": "12",
            "extra_domains": "",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "atlantis" in page
    assert "official key" in page.lower()
    assert not Tenant.objects.filter(slug="x-dorf").exists()


def test_operator_console_shows_every_problem_at_once(client_for, operator, district):
    client = operator_client(client_for, operator)
    response = client.post(
        "/admin/tenants/tenant/add/",
        {
            "name": "Gemeinde X",
            "slug": "Bad_Slug",
            "kind": "municipality",
            "parent_slug": "atlantis",
            "official_key": "12",
            "extra_domains": "not a host",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    for problem in ["not a valid host label", "atlantis", "8 digits", "not a valid host name"]:
        assert problem in page, problem


def test_operator_suspends_and_resumes_with_actions(client_for, operator, tenant_b):
    client = operator_client(client_for, operator)
    for action, status in [("suspend", TenantStatus.SUSPENDED), ("resume", TenantStatus.ACTIVE)]:
        response = client.post(
            "/admin/tenants/tenant/",
            {"action": action, "_selected_action": [tenant_b.pk], "index": 0},
        )
        assert response.status_code == 302
        assert Tenant.objects.get(pk=tenant_b.pk).status == status


def test_tenant_staff_cannot_open_the_operator_console(client_for, clerk, tenant_a):
    # a clerk's account exists only in its tenant's schema, so it cannot sign in on the base host
    client = client_for("localhost")
    assert client.sign_in(clerk.email, PASSWORD).status_code == 400
    response = client.get("/admin/tenants/tenant/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_operator_console_is_not_served_on_tenant_hosts(client_for, tenant_a):
    assert client_for(tenant_a).get("/admin/").status_code == 404
