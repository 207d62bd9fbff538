"""Choosing a form's hand-over targets from the form (the builder links to this page): a
tenant admin chooses, a clerk who builds forms sees the choice, nobody else sees the page."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.forms import services as forms_services
from portalwerk.platform.handover import form_targets
from portalwerk.platform.handover.models import Target
from tests.helpers.forms import DEFINITION


@pytest.fixture
def setup(tenant_a, clerk):
    with schema_context(tenant_a.schema_name):
        form = forms_services.create_form(
            actor=from_user(clerk),
            slug="hund",
            title={"de": "Hund"},
            definition=copy.deepcopy(DEFINITION),
        )
        dms = Target.objects.create(name="Dokumentenablage", backend="loopback")
        fach = Target.objects.create(name="Fachverfahren Hundesteuer", backend="loopback")
        every = Target.objects.create(name="Postfach", backend="loopback", all_forms=True)
        return form, dms, fach, every


def path(form) -> str:
    return f"/backoffice/forms/{form.pk}/handover/"


def test_a_tenant_admin_chooses_where_a_form_goes(client_for, tenant_a, tenant_admin, setup):
    form, dms, fach, _every = setup
    client = client_for(tenant_a)
    client.sign_in(tenant_admin.email)

    page = client.get(path(form), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Postfach: receives every form" in page and f'id="target-{fach.pk}"' in page
    response = client.post(path(form), {"targets": [str(fach.pk)]})

    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        assert list(form.handover_targets.all()) == [fach]
    client.post(path(form), {"targets": [str(dms.pk)]})
    with schema_context(tenant_a.schema_name):
        assert list(form.handover_targets.all()) == [dms]


def test_a_clerk_sees_the_choice_but_cannot_change_it(client_for, tenant_a, clerk, setup):
    form, dms, fach, _every = setup
    with schema_context(tenant_a.schema_name):
        fach.forms.add(form)
    client = client_for(tenant_a)
    client.sign_in(clerk.email)

    page = client.get(path(form), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Fachverfahren Hundesteuer" in page and 'name="targets"' not in page
    assert client.post(path(form), {"targets": [str(dms.pk)]}).status_code == 400
    with schema_context(tenant_a.schema_name):
        assert list(form.handover_targets.all()) == [fach]
        with pytest.raises(ValidationError):
            form_targets.set_form_targets(
                actor=from_user(clerk), form_id=form.pk, target_ids=[dms.pk]
            )


def test_an_unknown_target_is_refused_and_nothing_changes(tenant_a, tenant_admin, setup):
    form, _dms, fach, _every = setup
    with schema_context(tenant_a.schema_name):
        fach.forms.add(form)
        with pytest.raises(ValidationError):
            form_targets.set_form_targets(
                actor=from_user(tenant_admin), form_id=form.pk, target_ids=[fach.pk, 999999]
            )
        assert list(form.handover_targets.all()) == [fach]


def test_citizens_and_readers_get_no_page(client_for, tenant_a, citizen, setup):
    from portalwerk.platform.accounts.models import Role
    from tests.conftest import make_user

    form = setup[0]
    reader = make_user(tenant_a, "reader@alpha.example", Role.CLERK_READER)
    for who, status in ((citizen, 302), (reader, 404)):
        client = client_for(tenant_a)
        client.sign_in(who.email)
        assert client.get(path(form)).status_code == status
