"""Upgrades in the console: a tenant whose schema lacks one of the template's migrations is
shown as behind; "migrate" defers a job that migrates it, records each schema's result and the
run's progress, and is audited; the page costs the same at 3 tenants and at 1,003."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portalwerk.platform.audit.models import Entry
from portalwerk.tenants.models import MigrationOutcome, MigrationRun, Tenant, TenantKind
from tests.helpers.forms import run_jobs

# changes no table (verbose names only): taken away from a schema's record, migrating it again
# goes through; the first migration of an app creates tables that are there, so it fails
HARMLESS = ("audit", "0003_german_names")


def _forget(schema: str, app: str, name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s', [app, name]
        )


def _html(response, status=200) -> str:
    assert response.status_code == status, response.content.decode()[:3000]
    return response.content.decode()


def test_a_tenant_behind_is_migrated_from_its_page_as_a_job(console, operator, tenant_a):
    _forget(tenant_a.schema_name, *HARMLESS)
    html = _html(console.get("/console/tenants/alpha/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "1 migration of the template is missing." in html
    assert re.search(
        r'<th scope="row">audit</th><td>0003_german_names</td><td>0002_[a-z_]+</td>'
        r"<td>1</td>",
        html,
    )
    assert "Not migrated since it was created." in html
    # when the operator starts it: a run of one schema, audited, its job deferred
    response = console.post("/console/tenants/alpha/", {"action": "migrate"})
    assert response.status_code == 302
    run = MigrationRun.objects.get()
    assert run.schemas == [tenant_a.schema_name] and run.done == 0 and run.finished_at is None
    started = Entry.objects.get(action="migration.started")
    assert (started.actor_user_id, started.object_id) == (operator.pk, str(run.pk))
    html = _html(console.get("/console/upgrades/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "0 of 1 schemas done" in html and "running or waiting for a worker" in html
    # then the job migrates it and records the result
    assert run_jobs("migrate_tenants") == [1]
    connection.set_schema_to_public()
    run.refresh_from_db()
    assert run.done == 1 and run.finished_at is not None
    assert MigrationOutcome.objects.get(run=run).error == ""
    html = _html(console.get("/console/tenants/alpha/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Up to date with the template." in html
    assert re.search(r"Last migrated on [0-9.: ]+: succeeded", html)
    assert Entry.objects.filter(action="migration.finished", object_id=str(run.pk)).exists()
    # nothing is behind any more: asking again says so and starts nothing
    html = _html(console.post("/console/tenants/alpha/", {"action": "migrate"}), 400)
    assert "Nichts zu migrieren" in html
    assert MigrationRun.objects.count() == 1


def test_migrate_all_records_a_failing_schema_and_goes_on(console, tenant_a, tenant_b):
    _forget(tenant_a.schema_name, *HARMLESS)
    _forget(
        tenant_b.schema_name, "appointments", "0001_initial"
    )  # a later one depends on it: fails
    html = _html(console.get("/console/upgrades/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "2 of 3 tenants are behind it." in html
    behind = html.split('id="behind-caption"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'href="/console/tenants/([a-z-]+)/"', behind) == ["beta", "alpha"]
    assert _html(console.post("/console/upgrades/"), 302) == ""
    run = MigrationRun.objects.get()
    assert sorted(run.schemas) == sorted([tenant_a.schema_name, tenant_b.schema_name])
    run_jobs("migrate_tenants")
    connection.set_schema_to_public()
    run.refresh_from_db()
    assert run.done == 2 and run.finished_at is not None
    failed = MigrationOutcome.objects.get(run=run, schema_name=tenant_b.schema_name)
    assert failed.error.startswith("InconsistentMigrationHistory") and "\n" not in failed.error
    html = _html(console.get("/console/upgrades/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "2 of 2 schemas done" in html
    assert f"t_beta failed: {failed.error[:40]}" in html
    # beta is still behind, and its last result says why
    assert "1 of 3 tenants is behind it." in html
    assert "failed (InconsistentMigrationHistory" in html


def _add_tenants(count: int) -> None:
    Tenant.objects.bulk_create(
        Tenant(
            schema_name=f"bulk_{n:04d}",
            name=f"Massendorf {n:04d}",
            slug=f"massendorf-{n:04d}",
            kind=TenantKind.MUNICIPALITY,
        )
        for n in range(count)
    )


def _count(console) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        html = _html(console.get("/console/upgrades/", HTTP_ACCEPT_LANGUAGE="en"))
    return len(queries), html


def test_the_upgrades_page_costs_the_same_for_3_and_1003_tenants(console, tenant_a):
    _forget(tenant_a.schema_name, *HARMLESS)
    _count(console)
    three, html = _count(console)
    assert "1 of 3 tenants is behind it." in html
    _add_tenants(1000)  # rows without schemas: each is behind (it has no migration at all)
    thousand, html = _count(console)
    assert thousand == three, (three, thousand)
    assert "1001 of 1003 tenants are behind it." in html
    assert "(the first 200)" in html
