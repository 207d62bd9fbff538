"""record(): who, what, which object, from which request; never personal data; in the schema of
whoever acted."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django_tenants.utils import schema_context

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.audit.recording import actor_of, record
from portalwerk.platform.authz.actors import anonymous, from_user, system
from portalwerk.platform.catalog.models import PortalSettings


def test_an_entry_names_the_actor_by_id_and_stays_in_its_tenants_schema(clerk, tenant_a):
    # when a clerk's action is recorded in tenant alpha's schema
    with schema_context(tenant_a.schema_name):
        record(
            from_user(clerk), Action.SUBMISSION_OPENED, object_type="submission", object_id="A-1"
        )
        entry = Entry.objects.get(object_id="A-1")
    # then it names the clerk by kind and id only, and the public schema has no such entry
    assert (entry.actor_kind, entry.actor_user_id, entry.action) == (
        "clerk",
        clerk.pk,
        "submission.opened",
    )
    assert clerk.email not in str(vars(entry))
    assert not Entry.objects.filter(object_id="A-1").exists()


def test_every_kind_of_typed_actor_is_named_by_kind_and_user_id(citizen, clerk, tenant_admin):
    assert actor_of(from_user(citizen)) == ("citizen", citizen.pk)
    assert actor_of(from_user(clerk)) == ("clerk", clerk.pk)
    assert actor_of(from_user(tenant_admin)) == ("tenant_admin", tenant_admin.pk)
    assert actor_of(anonymous()) == ("anonymous", None)
    assert actor_of(system("retention")) == ("system", None)


@pytest.mark.parametrize("wrong", [None, "retention job", AnonymousUser(), "a user row"])
def test_anything_but_a_typed_actor_is_refused_and_nothing_is_written(wrong, clerk, tenant_a):
    actor = clerk if wrong == "a user row" else wrong
    with schema_context(tenant_a.schema_name):
        with pytest.raises(TypeError):
            record(actor, Action.SUBMISSION_OPENED, object_type="submission", object_id="T-1")
        assert not Entry.objects.filter(object_id="T-1").exists()


def test_a_system_jobs_name_is_in_the_detail(tenant_a):
    with schema_context(tenant_a.schema_name):
        entry = record(system("retention"), Action.SUBMISSION_PURGED, object_type="submission")
    assert (entry.actor_kind, entry.actor_user_id) == ("system", None)
    assert entry.detail == {"job": "retention"}


@pytest.mark.parametrize(
    "detail",
    [{"email": "x"}, {"name": "Anna"}, {"note": "called"}, {"who": "anna@example.org"}],
)
def test_personal_data_in_the_detail_is_refused_and_nothing_is_written(clerk, tenant_a, detail):
    with schema_context(tenant_a.schema_name):
        before = Entry.objects.count()
        with pytest.raises(ValueError):
            record(from_user(clerk), Action.SUBMISSION_OPENED, object_type="submission", **detail)
        assert Entry.objects.count() == before


def test_an_unknown_action_code_is_refused(clerk, tenant_a):
    with schema_context(tenant_a.schema_name), pytest.raises(ValueError):
        record(from_user(clerk), "submission.admired")


def test_a_request_gets_an_id_that_its_entries_carry(signed_in, clerk, tenant_a):
    # given a signed-in clerk whose proxy sends a request id
    client = signed_in(tenant_a, clerk)
    # when they open the inbox (applicants' names: personal data)
    response = client.get("/backoffice/inbox/", HTTP_X_REQUEST_ID="proxy-req-0001")
    # then the response echoes the id and the listing is recorded under it
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-req-0001"
    with schema_context(tenant_a.schema_name):
        entry = Entry.objects.get(action="submission.listed")
    assert (entry.actor_user_id, entry.request_id) == (clerk.pk, "proxy-req-0001")


@pytest.mark.parametrize("sent", ["", "short", "has spaces in it", "x" * 65, "<script>alert</s>"])
def test_an_odd_request_id_is_replaced_by_a_fresh_one(client_for, tenant_a, sent):
    response = client_for(tenant_a).get("/", HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] != sent and len(response["X-Request-ID"]) == 32


def test_operator_actions_land_in_the_public_log(operator, platform_tenant):
    from portalwerk.tenants import services

    # when an operator suspends and resumes a tenant
    services.suspend_tenant(actor=from_user(operator), slug="beta")
    services.resume_tenant(actor=from_user(operator), slug="beta")
    # then the public schema's log names the operator and the tenant
    rows = Entry.objects.filter(object_type="tenant", object_id="beta", actor_user_id=operator.pk)
    rows = rows.order_by("id")
    assert [(e.actor_kind, e.actor_user_id, e.action) for e in rows] == [
        ("operator", operator.pk, "tenant.suspended"),
        ("operator", operator.pk, "tenant.resumed"),
    ]


def test_portal_settings_changed_by_staff_are_recorded(tenant_admin, tenant_a):
    from portalwerk.platform.catalog import services

    with schema_context(tenant_a.schema_name):
        settings = PortalSettings.objects.first() or PortalSettings()
        services.save_portal_settings(actor=from_user(tenant_admin), settings=settings)
        entry = Entry.objects.get(action="portal.settings_changed")
    assert entry.actor_user_id == tenant_admin.pk and entry.detail == {"logo": "kept"}
