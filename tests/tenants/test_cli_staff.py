"""`portalwerk staff …`, `tenants create --admin-email`, `tenants resend-invitation` and
`tenants modules`, run as an operator would: real processes against the test database."""

from __future__ import annotations

import json

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.authz.actors import system
from portalwerk.tenants import services
from portalwerk.tenants.models import Tenant
from tests.tenants.test_cli import run


@pytest.fixture
def clidorf(live_db):
    created = run(
        "tenants", "create", "--name", "Gemeinde Staffdorf", "--slug", "staffdorf",
        "--kind", "municipality", "--admin-email", "Chefin@Staffdorf.example",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    yield created
    if Tenant.objects.filter(slug="staffdorf").exists():
        services.delete_tenant(actor=system("test"), slug="staffdorf")


def staff_rows() -> dict[str, dict]:
    listed = run("staff", "list", "--tenant", "staffdorf", "--json")
    assert listed.returncode == 0, listed.stderr
    return {row["email"]: row for row in json.loads(listed.stdout)}


def test_operator_onboards_with_an_admin_and_manages_staff_on_the_command_line(clidorf):
    # the first tenant admin is invited with the tenant
    assert "Invited chefin@staffdorf.example as tenant admin." in clidorf.stdout
    assert staff_rows()["chefin@staffdorf.example"]["invitation_pending"] is True
    again = run("tenants", "resend-invitation", "staffdorf")
    assert again.returncode == 0 and "chefin@staffdorf.example" in again.stdout

    # invite, change the role, deactivate, reactivate
    invited = run(
        "staff", "invite", "--tenant", "staffdorf", "kai@staffdorf.example", "--role", "reader"
    )
    role = run(
        "staff", "role", "--tenant", "staffdorf", "kai@staffdorf.example", "processor", "--finance"
    )
    closed = run("staff", "deactivate", "--tenant", "staffdorf", "kai@staffdorf.example")
    assert staff_rows()["kai@staffdorf.example"] | {"last_login": None} == {
        "email": "kai@staffdorf.example",
        "name": "",
        "role": "processor",
        "finance": True,
        "active": False,
        "invitation_pending": True,
        "last_login": None,
    }
    opened = run("staff", "reactivate", "--tenant", "staffdorf", "kai@staffdorf.example")

    assert invited.returncode == 0 and invited.stdout.strip() == (
        "Invited kai@staffdorf.example as reader."
    )
    assert role.stdout.strip() == "kai@staffdorf.example is now processor with finance."
    assert closed.stdout.strip() == "kai@staffdorf.example is deactivated."
    assert opened.stdout.strip() == "kai@staffdorf.example is active again."
    with schema_context(Tenant.objects.get(slug="staffdorf").schema_name):
        assert User.objects.get(email="kai@staffdorf.example").is_active


def test_cli_refusals_are_one_translated_line(clidorf):
    last = run(
        "staff", "deactivate", "--tenant", "staffdorf", "chefin@staffdorf.example",
        lang="de_DE.UTF-8",
    )  # fmt: skip
    unknown = run("staff", "list", "--tenant", "nirgendwo", lang="de_DE.UTF-8")

    assert last.returncode == 2 and last.stderr.count("\n") == 1
    assert "letzte aktive Mandantenadministration" in last.stderr
    assert unknown.returncode == 2 and "nirgendwo" in unknown.stderr
    with schema_context(Tenant.objects.get(slug="staffdorf").schema_name):
        assert User.objects.get(email="chefin@staffdorf.example", role=Role.TENANT_ADMIN).is_active


def test_operator_switches_modules_and_sets_the_contract_on_the_command_line(clidorf):
    narrowed = run("tenants", "modules", "staffdorf", "--allowed", "catalog,forms")
    off = run("tenants", "modules", "staffdorf", "--off", "forms")
    refused = run("tenants", "modules", "staffdorf", "--on", "payments")

    assert narrowed.returncode == 0, narrowed.stderr
    assert off.stdout.strip() == "Gemeinde Staffdorf: on catalog; allowed catalog, forms."
    assert refused.returncode == 2 and "payments" in refused.stderr
    tenant = Tenant.objects.get(slug="staffdorf")
    assert tenant.modules == ["catalog"] and tenant.allowed_modules == ["catalog", "forms"]
