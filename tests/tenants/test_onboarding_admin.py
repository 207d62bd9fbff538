"""Onboarding invites the first tenant admin; the operator can send the invitation again, in the
console (the platform API and the CLI: tests/graphql, tests/tenants/test_cli_staff.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context
from procrastinate.contrib.django.models import ProcrastinateJob

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.accounts.tasks import send_account_mail
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import from_user, system
from portalwerk.tenants import onboarding, services
from portalwerk.tenants.models import Tenant
from tests.conftest import PASSWORD


def new(**overrides) -> services.NewTenant:
    values = {
        "name": "Gemeinde Neudorf",
        "slug": "neudorf",
        "kind": "municipality",
        "parent_slug": "testland",
        "official_key": "05998012",
        "admin_email": "Chefin@Neudorf.example",
    }
    values.update(overrides)
    return services.NewTenant(**values)


def mails_to(schema: str) -> list[dict]:
    jobs = ProcrastinateJob.objects.filter(task_name=send_account_mail.name).order_by("id")
    return [job.args for job in jobs if job.args["schema_name"] == schema]


def admins_of(tenant: Tenant) -> list[User]:
    with schema_context(tenant.schema_name):
        return list(User.objects.filter(role=Role.TENANT_ADMIN))


def test_creating_a_tenant_invites_its_first_admin(db):
    # when
    tenant = services.create_tenant(actor=system("tests"), data=new())

    # then
    [admin] = admins_of(tenant)
    assert admin.email == "chefin@neudorf.example" and not admin.has_usable_password()
    [mail] = mails_to(tenant.schema_name)
    assert mail["user_id"] == admin.pk and "/accounts/invitation/" in mail["body"]
    assert "neudorf.localhost" in mail["body"]
    with schema_context(tenant.schema_name):
        assert list(Entry.objects.values_list("action", flat=True)) == ["staff.invited"]


def test_a_bad_admin_address_refuses_the_whole_tenant(db):
    with pytest.raises(ValidationError) as refused:
        services.create_tenant(actor=system("tests"), data=new(admin_email="chefin-at-neudorf"))

    assert refused.value.error_dict["admin_email"][0].code == "invalid_email"
    assert not Tenant.objects.filter(slug="neudorf").exists()


def test_the_operator_sends_the_invitation_again_until_it_is_accepted(db, operator):
    tenant = services.create_tenant(actor=system("tests"), data=new())
    actor = from_user(operator)

    sent = onboarding.resend_admin_invitation(actor=actor, tenant=tenant)
    [admin] = admins_of(tenant)
    with schema_context(tenant.schema_name):
        admin.set_password(PASSWORD)
        admin.save()
    with pytest.raises(ValidationError) as accepted:
        onboarding.resend_admin_invitation(actor=actor, tenant=tenant)

    assert sent == ["chefin@neudorf.example"]
    assert len(mails_to(tenant.schema_name)) == 2
    assert accepted.value.error_dict["__all__"][0].code == "no_pending_invitation"


def test_operator_console_creates_with_an_admin_and_sends_again(client_for, operator, district):
    client = client_for("localhost")
    assert client.sign_in(operator.email, PASSWORD).status_code == 302

    created = client.post(
        "/admin/tenants/tenant/add/",
        {
            "name": "Gemeinde Konsoldorf",
            "slug": "konsoldorf",
            "kind": "municipality",
            "parent_slug": "testland",
            "official_key": "05998028",
            "extra_domains": "",
            "admin_email": "chef@konsoldorf.example",
        },
    )
    tenant = Tenant.objects.get(slug="konsoldorf")
    again = client.post(
        "/admin/tenants/tenant/",
        {"action": "resend_invitation", "_selected_action": [tenant.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert created.status_code == 302
    assert [a.email for a in admins_of(tenant)] == ["chef@konsoldorf.example"]
    assert "invitation sent again to chef@konsoldorf.example" in again.content.decode()
    assert len(mails_to(tenant.schema_name)) == 2


def test_an_admin_address_too_long_for_an_account_is_a_form_error_in_the_console(
    client_for, operator, district
):
    # given an address the form's email field takes (up to 320 characters) but an account
    # cannot hold (254)
    client = client_for("localhost")
    assert client.sign_in(operator.email, PASSWORD).status_code == 302
    too_long = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".example"
    # when the operator creates a tenant with it
    answer = client.post(
        "/admin/tenants/tenant/add/",
        {
            "name": "Gemeinde Langdorf",
            "slug": "langdorf",
            "kind": "municipality",
            "parent_slug": "testland",
            "official_key": "05998029",
            "extra_domains": "",
            "admin_email": too_long,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    # then the form shows it at the field (not a server error) and nothing was made
    assert answer.status_code == 200
    assert "Enter an email address in the right format" in answer.content.decode()
    assert not Tenant.objects.filter(slug="langdorf").exists()
