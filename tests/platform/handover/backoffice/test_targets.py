"""Targets: a tenant admin adds, changes, switches off, checks and tests them; the backend's
settings form validates; secrets are never shown back and kept when left empty."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_tenants.utils import schema_context

from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.handover import targets
from portalwerk.platform.handover.models import Target
from tests.conftest import make_user


def test_a_tenant_admin_adds_a_target_whose_settings_are_stored_as_cleaned(
    tenant_a, target, receiver, handover_form
):
    with schema_context(tenant_a.schema_name):
        stored = Target.objects.get(pk=target.pk)
        entry = Entry.objects.get(action="target.added")
        assert list(stored.forms.all()) == [handover_form]
    assert stored.config == {"url": receiver.url, "token": receiver.token, "timeout": 3}
    assert entry.detail == {"backend": "loopback", "forms": 1}


def test_bad_settings_and_a_missing_name_are_field_errors_and_nothing_is_stored(
    tenant_a, tenant_admin, loopback_backend
):
    with schema_context(tenant_a.schema_name):
        with pytest.raises(ValidationError) as refused:
            targets.add_target(
                actor=from_user(tenant_admin),
                backend="loopback",
                name="  ",
                config={"url": "not a url", "token": "", "timeout": "99"},
                form_ids=["12345678", "x"],
            )
        assert set(refused.value.error_dict) == {"name", "url", "token", "timeout", "forms"}
        assert not Target.objects.exists()


def test_a_backend_that_is_not_enabled_cannot_be_chosen(tenant_a, tenant_admin, loopback_backend):
    with schema_context(tenant_a.schema_name):
        with pytest.raises(ValidationError) as refused:
            targets.add_target(actor=from_user(tenant_admin), backend="ftp", name="X", config={})
        assert refused.value.error_dict["backend"][0].code == "backend_unavailable"


def test_a_secret_left_empty_on_change_is_kept_and_never_rendered(
    tenant_a, tenant_admin, target, receiver
):
    with schema_context(tenant_a.schema_name):
        changed = targets.change_target(
            actor=from_user(tenant_admin),
            target_id=target.pk,
            name="Fachverfahren Angeln",
            config={"url": receiver.url, "token": "", "timeout": "7"},
        )
        entry = Entry.objects.get(action="target.changed")
        form = targets.config_form_for(targets.backend_named("loopback"), target=changed)
    assert changed.config["token"] == receiver.token and changed.config["timeout"] == 7
    assert entry.detail == {"settings": ["timeout"], "forms": 0}
    assert receiver.token not in form.as_div()
    assert receiver.url in form.as_div()


def test_a_switched_off_target_gets_no_new_submissions(tenant_a, tenant_admin, target, submit):
    with schema_context(tenant_a.schema_name):
        targets.deactivate_target(actor=from_user(tenant_admin), target_id=target.pk)
    submission = submit()
    with schema_context(tenant_a.schema_name):
        assert not submission.deliveries.exists()
        assert Entry.objects.filter(action="target.deactivated").count() == 1
        targets.activate_target(actor=from_user(tenant_admin), target_id=target.pk)
        assert Target.objects.get(pk=target.pk).is_active


def test_check_says_in_words_when_the_receiver_cannot_be_reached(
    tenant_a, tenant_admin, target, receiver
):
    with schema_context(tenant_a.schema_name):
        assert targets.check_target(actor=from_user(tenant_admin), target_id=target.pk) == []
        receiver.server.server_close()  # nobody listens any more
        Target.objects.filter(pk=target.pk).update(
            config={**target.config, "url": "http://127.0.0.1:9/x"}
        )
        problems = targets.check_target(actor=from_user(tenant_admin), target_id=target.pk)
    assert problems == ["The receiver address cannot be reached."]


def test_send_a_test_delivers_a_made_up_parcel_and_reports_failures_in_words(
    tenant_a, tenant_admin, target, receiver
):
    with schema_context(tenant_a.schema_name):
        with translation.override("en"):
            good = targets.send_test(actor=from_user(tenant_admin), target_id=target.pk)
            receiver.token = "changed-on-their-side"
            bad = targets.send_test(actor=from_user(tenant_admin), target_id=target.pk)
        tested = list(
            Entry.objects.filter(action="target.tested")
            .order_by("id")
            .values_list("detail", flat=True)
        )
    assert good.ok and good.receiver_reference == "CASE-1"
    (parcel,) = receiver.parcels.values()
    assert parcel["test"] is True and parcel["reference"].startswith("TEST-")
    assert not bad.ok and bad.detail == "HTTP 401"
    assert bad.message == "The receiving system did not accept our credentials."
    assert tested == [{"ok": True, "problem": ""}, {"ok": False, "problem": "unauthorised"}]


@pytest.mark.parametrize("role", ["clerk_processor", "clerk_reader", "citizen"])
def test_only_tenant_admins_manage_targets(tenant_a, target, role):
    user = make_user(tenant_a, f"{role}@alpha.example", role)
    with schema_context(tenant_a.schema_name):
        actor = from_user(user)
        with pytest.raises(ValidationError):
            targets.add_target(actor=actor, backend="loopback", name="X", config={})
        for action in (targets.deactivate_target, targets.check_target, targets.send_test):
            with pytest.raises(ValidationError):
                action(actor=actor, target_id=target.pk)
        assert Target.objects.get().is_active
        assert Entry.objects.filter(action__startswith="target.").count() == 1  # the add
