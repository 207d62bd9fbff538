"""Onboarding as recorded steps, in process (the real kills: test_kills.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import system
from portalwerk.platform.catalog.models import Service
from portalwerk.tenants import lifecycle, services
from portalwerk.tenants.models import LifecycleRun, RunState, Tenant, TenantStatus


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


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def states(run: LifecycleRun) -> dict[str, str]:
    return {s.name: s.state for s in run.steps.order_by("position")}


def test_onboarding_runs_every_step_and_records_it(db):
    # when an operator onboards a tenant with a first admin
    run = lifecycle.start_onboarding(actor=system("tests"), data=new(), wait=True)
    # then the tenant is active with its schema and its admin, and every step says what it did
    tenant = Tenant.objects.get(slug="neudorf")
    assert tenant.status == TenantStatus.ACTIVE and schema_exists("t_neudorf")
    with schema_context(tenant.schema_name):
        assert list(
            User.objects.filter(role=Role.TENANT_ADMIN).values_list("email", flat=True)
        ) == ["chefin@neudorf.example"]
    assert run.state == RunState.DONE
    assert states(run) == {
        "record": "done",
        "terraform": "skipped",
        "schema": "done",
        "content": "skipped",
        "admin": "done",
        "activate": "done",
    }
    steps = {s.name: s for s in run.steps.all()}
    assert steps["terraform"].message.startswith("Keycloak provisioning not configured")
    assert all(s.attempts == 1 and s.finished_at for s in steps.values())
    # the run keeps no address once the invitation is out
    assert "chefin" not in str(LifecycleRun.objects.get(pk=run.pk).options)
    actions = set(Entry.objects.filter(object_id="neudorf").values_list("action", flat=True))
    assert {"tenant.onboarding_started", "tenant.created", "tenant.onboarded"} <= actions


def test_bad_input_is_refused_before_any_run_exists(db):
    with pytest.raises(ValidationError) as refused:
        lifecycle.start_onboarding(
            actor=system("tests"), data=new(parent_slug="atlantis", slug="Bad_Slug"), wait=True
        )
    assert set(refused.value.error_dict) == {"parent", "slug"}
    assert not LifecycleRun.objects.exists()


def test_demo_content_is_added_when_asked(db):
    lifecycle.start_onboarding(
        actor=system("tests"), data=new(admin_email=""), demo_content=True, wait=True
    )
    run = lifecycle.latest("neudorf")
    assert states(run)["content"] == "done" and states(run)["admin"] == "skipped"
    with schema_context("t_neudorf"):
        assert Service.objects.filter(library_key__gt="").exists()


def test_a_foreign_schema_of_the_same_name_stops_onboarding_resumably(db):
    # given a schema of the tenant's name, made behind the platform's back
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA t_neudorf")
    # when the tenant is onboarded
    run = lifecycle.start_onboarding(actor=system("tests"), data=new(), wait=True)
    # then the schema step fails with a line saying why, the foreign schema is left alone, and
    # the tenant waits in "provisioning"
    step = run.steps.get(name="schema")
    assert run.state == RunState.FAILED and step.state == "failed"
    assert "t_neudorf exists already" in step.message
    assert Tenant.objects.get(slug="neudorf").status == TenantStatus.PROVISIONING
    # and once the operator removed it, resuming completes the tenant
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA t_neudorf")
    again = lifecycle.resume(actor=system("tests"), slug="neudorf", wait=True)
    assert again.state == RunState.DONE
    assert states(again)["schema"] == "done" and again.steps.get(name="schema").attempts == 2
    assert Tenant.objects.filter(slug="neudorf").count() == 1
    assert Tenant.objects.get(slug="neudorf").status == TenantStatus.ACTIVE
    assert Entry.objects.filter(action="tenant.lifecycle_resumed", object_id="neudorf").exists()


def test_a_second_onboarding_of_the_same_slug_is_refused_while_one_is_open(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA t_neudorf")
    lifecycle.start_onboarding(actor=system("tests"), data=new(), wait=True)
    with pytest.raises(ValidationError) as refused:
        lifecycle.start_onboarding(actor=system("tests"), data=new(), wait=True)
    assert refused.value.error_dict["slug"][0].code == "lifecycle_under_way"
    assert LifecycleRun.objects.filter(slug="neudorf").count() == 1


def test_nothing_to_resume_is_a_clear_message(db):
    with pytest.raises(ValidationError) as refused:
        lifecycle.resume(actor=system("tests"), slug="atlantis", wait=True)
    assert refused.value.error_dict["slug"][0].code == "nothing_to_resume"
    assert "atlantis" in refused.value.messages[0]


def test_without_wait_the_run_is_handed_to_the_job_worker(db):
    from procrastinate.contrib.django.models import ProcrastinateJob

    run = lifecycle.start_onboarding(actor=system("tests"), data=new())
    [job] = ProcrastinateJob.objects.filter(task_name="portalwerk.tenants.tasks.run_lifecycle")
    assert job.args == {"run_id": run.pk}
    assert set(states(run).values()) == {"pending"}
    assert not Tenant.objects.filter(slug="neudorf").exists()


def test_the_job_runs_the_steps(db):
    from portalwerk.tenants.tasks import run_lifecycle

    run = lifecycle.start_onboarding(actor=system("tests"), data=new())
    assert run_lifecycle(run_id=run.pk) == "done"
    assert Tenant.objects.get(slug="neudorf").status == TenantStatus.ACTIVE


def test_progress_lists_runs_with_their_steps_in_two_queries(db):
    from django.test.utils import CaptureQueriesContext

    lifecycle.start_onboarding(actor=system("tests"), data=new(), wait=True)
    with CaptureQueriesContext(connection) as queries:
        runs = lifecycle.progress("neudorf")
        names = [s.name for r in runs for s in r.steps.all()]
    assert names == ["record", "terraform", "schema", "content", "admin", "activate"]
    assert len([q for q in queries if not q["sql"].startswith("SET search_path")]) == 2


def test_the_steps_fragment_names_every_step_and_its_state_in_words(db):
    from django.template.loader import render_to_string
    from django.utils import translation

    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA t_neudorf")
    lifecycle.start_onboarding(actor=system("tests"), data=new(), wait=True)
    [run] = lifecycle.progress("neudorf")
    with translation.override("de"):
        html = render_to_string("tenants/lifecycle/steps.html", {"run": run})
    assert html.count("<li ") == 6 and "<ol" in html
    assert "Schema aus der Vorlage</strong>: fehlgeschlagen" in html
    assert "Mandantendatensatz</strong>: erledigt" in html
    assert "t_neudorf" in html  # the failure's line
