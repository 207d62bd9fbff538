"""Offboarding: portal closed, export written, Terraform destroyed (skipped without Keycloak
settings), schema dropped after the grace period with a deletion record left behind."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import system
from portalwerk.tenants import lifecycle, services
from portalwerk.tenants.models import LifecycleRun, RunState, Tenant, TenantDeletion, TenantStatus


@pytest.fixture
def neudorf(db, settings, tmp_path):
    settings.PORTALWERK_EXPORTS_DIR = tmp_path / "exports"
    return services.create_tenant(
        actor=system("tests"),
        data=services.NewTenant(
            name="Gemeinde Neudorf",
            slug="neudorf",
            kind="municipality",
            parent_slug="testland",
            official_key="05998012",
        ),
    )


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def states(run: LifecycleRun) -> dict[str, str]:
    return {s.name: s.state for s in run.steps.order_by("position")}


def test_offboarding_without_grace_exports_drops_and_records_the_deletion(neudorf, settings):
    run = lifecycle.start_offboarding(
        actor=system("tests"), slug="neudorf", grace_days=0, wait=True
    )

    assert run.state == RunState.DONE
    assert states(run) == {
        "close": "done",
        "export": "done",
        "terraform": "skipped",
        "purge": "done",
    }
    assert not Tenant.objects.filter(slug="neudorf").exists() and not schema_exists("t_neudorf")
    deletion = TenantDeletion.objects.get(slug="neudorf")
    archive = settings.PORTALWERK_EXPORTS_DIR / deletion.export_file
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == deletion.export_sha256
    with zipfile.ZipFile(archive) as opened:
        assert "manifest.json" in opened.namelist()
    assert deletion.name == "Gemeinde Neudorf" and deletion.official_key == "05998012"
    assert deletion.counts and deletion.offboarding_started_by == "system:tests"
    assert deletion.deleted_by == "system:tests"  # who waited for the steps
    actions = set(Entry.objects.filter(object_id="neudorf").values_list("action", flat=True))
    assert {"tenant.offboarding_started", "tenant.exported", "tenant.deleted"} <= actions
    # the run stays readable after the tenant is gone
    [kept] = lifecycle.progress("neudorf")
    assert kept.tenant_id is None and kept.state == RunState.DONE


def test_the_schema_stays_through_the_grace_period_then_the_periodic_purge_drops_it(
    neudorf, client_for
):
    run = lifecycle.start_offboarding(
        actor=system("tests"), slug="neudorf", grace_days=30, wait=True
    )
    # during the grace period: closed portal, data still there, the run waits
    assert run.state == RunState.WAITING and states(run)["purge"] == "pending"
    assert "grace period" in run.steps.get(name="purge").message
    assert run.steps.get(name="purge").attempts == 0
    assert Tenant.objects.get(slug="neudorf").status == TenantStatus.OFFBOARDING
    assert schema_exists("t_neudorf")
    assert lifecycle.purge_due() == []
    # after it
    LifecycleRun.objects.filter(pk=run.pk).update(purge_after=timezone.now() - dt.timedelta(1))
    assert lifecycle.purge_due() == ["neudorf"]
    assert run.steps.get(name="purge").attempts == 1
    assert not schema_exists("t_neudorf")
    assert TenantDeletion.objects.filter(slug="neudorf").count() == 1


def test_a_failed_export_leaves_the_run_resumable(neudorf, settings, tmp_path):
    # given an exports folder that cannot be made (a file is in its way)
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    settings.PORTALWERK_EXPORTS_DIR = blocked / "exports"
    run = lifecycle.start_offboarding(
        actor=system("tests"), slug="neudorf", grace_days=0, wait=True
    )
    # then the export step failed with one line, and nothing was dropped
    assert run.state == RunState.FAILED and states(run)["export"] == "failed"
    assert run.steps.get(name="export").message
    assert schema_exists("t_neudorf")
    # and once the folder is fixed, resuming finishes the offboarding
    settings.PORTALWERK_EXPORTS_DIR = tmp_path / "exports"
    again = lifecycle.resume(actor=system("tests"), slug="neudorf", wait=True)
    assert again.state == RunState.DONE
    assert again.steps.get(name="close").attempts == 1
    assert again.steps.get(name="export").attempts == 2
    assert not schema_exists("t_neudorf")


def test_a_district_with_members_cannot_be_offboarded(district):
    with pytest.raises(ValidationError) as refused:
        lifecycle.start_offboarding(actor=system("tests"), slug="testland", wait=True)
    assert refused.value.error_dict["slug"][0].code == "has_members"
    assert not LifecycleRun.objects.filter(slug="testland").exists()


@pytest.mark.parametrize("days", [-1, 4000])
def test_a_grace_period_out_of_range_is_refused(neudorf, days):
    with pytest.raises(ValidationError) as refused:
        lifecycle.start_offboarding(actor=system("tests"), slug="neudorf", grace_days=days)
    assert refused.value.error_dict["grace_days"][0].code == "invalid_grace_period"
    assert Tenant.objects.get(slug="neudorf").status == TenantStatus.ACTIVE


def test_an_unknown_tenant_is_a_clear_message(db):
    with pytest.raises(ValidationError) as refused:
        lifecycle.start_offboarding(actor=system("tests"), slug="atlantis")
    assert refused.value.error_dict["slug"][0].code == "not_found"


def test_an_offboarding_portal_answers_with_a_notice_and_takes_nothing(tenant_b, client_for):
    client = client_for(tenant_b)
    before = client.post("/graphql/", {"query": "{ __typename }"}, content_type="application/json")
    assert before.status_code == 200
    # when the tenant is being offboarded
    lifecycle.start_offboarding(actor=system("tests"), slug="beta", grace_days=30)
    lifecycle.execute(lifecycle.latest("beta"))  # the job, here
    client = client_for(tenant_b)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    graphql = client.post("/graphql/", {"query": "{ __typename }"}, content_type="application/json")
    form = client.post("/forms/anything/", {"x": "1"})
    # then the portal says it is closed, in German and English, and takes nothing in
    assert page.status_code == 410
    text = page.content.decode()
    assert (
        "Dieses Serviceportal ist geschlossen" in text and "This service portal is closed" in text
    )
    assert '<html lang="de">' in text
    assert graphql.status_code == 410 and form.status_code == 410
