"""`portalwerk tenants onboard|offboard|progress` as an operator runs them (a real process)."""

from __future__ import annotations

import json

import pytest

from portalwerk.platform.authz.actors import system
from portalwerk.tenants import services
from portalwerk.tenants.models import LifecycleRun, Tenant, TenantDeletion
from tests.tenants.test_cli import run


@pytest.fixture
def cleanup(live_db):
    yield
    if Tenant.objects.filter(slug="cli-life").exists():
        services.delete_tenant(actor=system("test"), slug="cli-life")
    LifecycleRun.objects.filter(slug="cli-life").delete()
    TenantDeletion.objects.filter(slug="cli-life").delete()


def test_onboard_progress_offboard_on_the_command_line(cleanup, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTALWERK_EXPORTS_DIR", str(tmp_path))
    onboarded = run(
        "tenants", "onboard", "cli-life", "--name", "Gemeinde Lebenslauf",
        "--kind", "municipality", "--parent", "testland", "--wait", lang="de_DE.UTF-8",
    )  # fmt: skip
    assert onboarded.returncode == 0, onboarded.stderr
    assert "Mandantenaufnahme von cli-life: erledigt." in onboarded.stdout
    assert "Keycloak-Bereitstellung nicht eingerichtet" in onboarded.stdout

    [listed] = json.loads(run("tenants", "progress", "cli-life", "--json").stdout)
    assert listed["state"] == "done"
    assert [s["name"] for s in listed["steps"]][:3] == ["record", "terraform", "schema"]

    offboarded = run("tenants", "offboard", "cli-life", "--grace-days", "0", "--wait")
    assert offboarded.returncode == 0, offboarded.stderr
    assert not Tenant.objects.filter(slug="cli-life").exists()
    deletion = TenantDeletion.objects.get(slug="cli-life")
    assert (tmp_path / deletion.export_file).is_file()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["offboard", "atlantis", "--grace-days", "3"], "atlantis"),
        (["offboard", "beta", "--grace-days", "-2"], "grace period"),
        (["offboard", "beta", "--grace-days", "soon"], "invalid int value"),
        (["onboard", "atlantis", "--resume"], "no unfinished"),
        (["onboard", "new-one"], "--name and --kind"),
        (["progress", "atlantis"], "nothing was onboarded"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(live_db, args, says):
    result = run("tenants", *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], result.stderr
    assert Tenant.objects.get(slug="beta").status == "active"
    assert not LifecycleRun.objects.filter(slug__in=["atlantis", "beta", "new-one"]).exists()
