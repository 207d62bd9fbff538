"""The tenant's onboarding and offboarding in the console: the recorded steps on its page, a
failed run resumed, and the offboarding started only with a confirmation and a grace period in
days; each refusal said on the page and nothing started, each start audited in public."""

import datetime as dt

import pytest
from django.utils import timezone

from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import from_user, system
from portalwerk.tenants import lifecycle, services
from portalwerk.tenants.models import LifecycleKind, LifecycleRun, RunState


def _page(console, slug, **post):
    if post:
        response = console.post(f"/console/tenants/{slug}/", post, HTTP_ACCEPT_LANGUAGE="en")
    else:
        response = console.get(f"/console/tenants/{slug}/", HTTP_ACCEPT_LANGUAGE="en")
    return response.status_code, response.content.decode()


def test_the_onboarding_steps_are_on_the_tenant_page(console, platform_tenant):
    data = services.NewTenant(name="Gemeinde Gamma", slug="gamma", kind="municipality")
    run = lifecycle.start_onboarding(actor=system("test"), data=data, wait=True)
    assert run.state == RunState.DONE
    status, html = _page(console, "gamma")
    assert status == 200
    assert "Onboarding and offboarding" in html
    assert "<strong>Tenant record</strong>: done" in html
    assert "<strong>Schema from the template</strong>: done" in html
    assert "<strong>Terraform (Keycloak)</strong>: skipped" in html  # no Keycloak settings
    assert "Run the unfinished steps again" not in html  # nothing failed


def test_offboarding_needs_the_confirmation_and_a_grace_period(console, tenant_b):
    status, html = _page(console, "beta", action="offboard", grace_days="7")
    assert status == 400
    assert "Tick the confirmation to offboard Gemeinde Beta." in html
    status, html = _page(console, "beta", action="offboard", grace_days="sieben", confirmed="yes")
    assert status == 400
    assert "The grace period is a number of days from 0 to 3650." in html
    status, html = _page(console, "beta", action="offboard", grace_days="²", confirmed="yes")
    assert status == 400  # a digit to str.isdigit, not to int(): was a 500
    status, html = _page(console, "beta", action="offboard", grace_days="4000", confirmed="yes")
    assert status == 400
    assert "The grace period is a number of days from 0 to 3650." in html
    assert not LifecycleRun.objects.filter(slug="beta").exists()
    assert not Entry.objects.filter(action="tenant.offboarding_started").exists()


def test_offboarding_started_from_the_console_is_a_run_and_audited(console, operator, tenant_b):
    before = timezone.now()
    status, _html = _page(console, "beta", action="offboard", grace_days="7", confirmed="yes")
    assert status == 302
    run = LifecycleRun.objects.get(slug="beta", kind=LifecycleKind.OFFBOARD)
    assert run.purge_after - before >= dt.timedelta(days=7)
    assert run.purge_after - before < dt.timedelta(days=7, minutes=5)
    entry = Entry.objects.get(action="tenant.offboarding_started")
    assert entry.actor_user_id == operator.pk and entry.detail["grace_days"] == 7
    status, html = _page(console, "beta")
    assert "<strong>Portal closed</strong>: pending" in html  # the worker runs the steps
    assert "Start the offboarding" not in html  # one offboarding at a time


def test_a_failed_run_is_resumed_from_the_page(console, operator, tenant_b):
    run = lifecycle.start_offboarding(actor=system("test"), slug="beta", grace_days=1)
    LifecycleRun.objects.filter(pk=run.pk).update(state=RunState.FAILED)
    status, html = _page(console, "beta")
    assert "Run the unfinished steps again" in html
    status, _html = _page(console, "beta", action="resume_lifecycle")
    assert status == 302
    assert Entry.objects.filter(
        action="tenant.lifecycle_resumed", actor_user_id=operator.pk
    ).exists()


def test_only_operators_start_or_resume_lifecycles(tenant_b, clerk):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        lifecycle.start_offboarding(actor=from_user(clerk), slug="beta", grace_days=1)
    with pytest.raises(ValidationError):
        lifecycle.resume(actor=from_user(clerk), slug="beta")
    assert not LifecycleRun.objects.filter(slug="beta").exists()


def test_a_tenant_onboarded_from_the_console_page(console, operator, tenant_a):
    page = console.get("/console/new/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "<h1>New tenant</h1>" in page.content.decode()
    response = console.post(
        "/console/new/",
        {"name": "Gemeinde Delta", "slug": "delta", "kind": "municipality",
         "parent_slug": "testland", "admin_email": "chefin@delta.example"},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/console/tenants/delta/"
    run = LifecycleRun.objects.get(slug="delta")
    assert run.state == RunState.DONE and run.tenant.status == "active"
    html = console.get("/console/tenants/delta/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Gemeinde Delta is onboarded." in html
    assert "<strong>First tenant admin invited</strong>: done" in html
    assert Entry.objects.filter(action="tenant.onboarding_started", actor_user_id=operator.pk)


def test_bad_input_on_the_new_tenant_page_is_said_at_its_field(console, tenant_a):
    response = console.post(
        "/console/new/",
        {"name": "Stadt Alpha", "slug": "alpha", "kind": "municipality", "parent_slug": "nowhere",
         "admin_email": "not-an-address"},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_admin_email_error"' in html
    response = console.post(
        "/console/new/",
        {"name": "Stadt Alpha 2", "slug": "alpha", "kind": "municipality",
         "parent_slug": "nowhere"},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_slug_error"' in html and 'id="id_parent_slug_error"' in html
    assert not LifecycleRun.objects.filter(slug="alpha").exists()
