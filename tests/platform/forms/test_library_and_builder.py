"""The shared template library, adoption by tenants, the five demo templates, and building a
form in the back office without a developer."""

import json

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.formlibrary.library import TEMPLATES, sync_library
from portalwerk.platform.formlibrary.models import FormTemplate
from portalwerk.platform.forms import services
from portalwerk.platform.forms.engine.form import FormSpec
from portalwerk.platform.forms.models import Form, VersionStatus

KEYS = [
    "fishing-licence-exam",
    "hunting-licence-exam",
    "volunteer-card",
    "cadastral-map-extract",
    "dog-tax-registration",
]


def test_the_five_templates_are_valid_and_linked_to_services():
    assert [t["key"] for t in TEMPLATES] == KEYS
    for template in TEMPLATES:
        FormSpec.from_definition(template["definition"])
        assert template["service_key"]
    cadastral = FormSpec.from_definition(TEMPLATES[3]["definition"])
    assert cadastral.fee_cents({"format": "paper", "copies": 3}) == 4500
    assert cadastral.fee_cents({"format": "pdf", "copies": 1}) == 2000


def test_a_tenant_adopts_a_template_and_sees_when_the_library_moves_on(
    tenant_a, tenant_b, clerk, other_tenant_clerk
):
    sync_library()
    with schema_context(tenant_a.schema_name):
        form = services.adopt_template(
            actor=from_user(clerk), key="dog-tax-registration", publish=True
        )
        assert form.service_key == "hundesteuer" and form.published_version.number == 1
        assert not services.template_update_available(form)
        # the tenant adapts its copy; the library is not touched
        version = services.new_draft_version(actor=from_user(clerk), form=form)
        definition = json.loads(json.dumps(version.definition))
        definition["steps"][0]["title"]["de"] = "Halter/in"
        services.save_version_definition(
            actor=from_user(clerk), version=version, definition=definition
        )
    assert (
        FormTemplate.objects.get(key="dog-tax-registration").definition["steps"][0]["title"]["de"]
        == "Angaben zur Person"
    )
    # when the library version changes
    template = FormTemplate.objects.get(key="dog-tax-registration")
    template.definition["steps"][0]["title"]["en"] = "The owner"
    template.save()
    sync_library()  # the shipped text differs from the stored one again: a new version
    with schema_context(tenant_a.schema_name):
        form.refresh_from_db()
        assert services.template_update_available(form)
    # and another tenant has none of tenant A's copies
    with schema_context(tenant_b.schema_name):
        assert not Form.objects.exists()


def test_demo_seed_adopts_all_five_templates_idempotently(tenant_a, tenant_admin):
    from portalwerk.platform.forms import demo

    demo.seed_library()
    with schema_context(tenant_a.schema_name):
        demo.seed_forms(actor=from_user(tenant_admin))
        demo.seed_forms(actor=from_user(tenant_admin))
        forms = Form.objects.order_by("slug")
        assert sorted(f.slug for f in forms) == sorted(KEYS)
        assert all(f.published_version is not None for f in forms)


def test_a_clerk_builds_previews_and_publishes_a_form_in_the_back_office(
    client_for, tenant_a, clerk
):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    definition = {
        "steps": [
            {"key": "one", "title": "Eins", "fields": [
                {"key": "name", "type": "text", "label": {"de": "Name", "en": "Name"},
                 "required": True}]},
        ]
    }  # fmt: skip
    # a broken definition is explained and nothing is made
    bad = {"steps": [{"key": "one", "fields": [{"key": "x", "type": "colour", "label": "X"}]}]}
    data = {
        "slug": "sperrmuell",
        "title": json.dumps({"de": "Sperrmüll", "en": "Bulky waste"}),
        "description": "{}",
        "service_key": "sperrmuell",
        "retention_days": 90,
        "retention_action": "delete",
        "draft_days": 7,
        "definition": json.dumps(bad),
    }
    response = client.post("/backoffice/forms/form/add/", data)
    assert response.status_code == 200 and "unknown type" in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert not Form.objects.exists()
    response = client.post(
        "/backoffice/forms/form/add/", {**data, "definition": json.dumps(definition)}
    )
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        version = Form.objects.get(slug="sperrmuell").versions.get()
    preview = client.get(f"/backoffice/forms/formversion/{version.pk}/preview/")
    assert preview.status_code == 200 and 'id="f-name"' in preview.content.decode()
    client.post(f"/backoffice/forms/formversion/{version.pk}/publish/")
    with schema_context(tenant_a.schema_name):
        version.refresh_from_db()
        assert version.status == VersionStatus.PUBLISHED
    assert client_for(tenant_a).get("/forms/sperrmuell/").status_code == 200
    # a published version's definition cannot be changed through the editor
    client.post(
        f"/backoffice/forms/formversion/{version.pk}/change/",
        {"definition": json.dumps(bad)},
    )
    with schema_context(tenant_a.schema_name):
        version.refresh_from_db()
        assert version.definition == definition


@pytest.mark.parametrize("who", ["citizen", "anonymous"])
def test_only_clerks_build_forms(client_for, tenant_a, citizen, who):
    client = client_for(tenant_a)
    if who == "citizen":
        client.sign_in(citizen.email)
    response = client.get("/backoffice/forms/form/add/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    with schema_context(tenant_a.schema_name), pytest.raises(Exception) as caught:
        services.create_form(
            actor=from_user(citizen), slug="x", title={"de": "x"}, definition={"steps": []}
        )
    assert caught.value.error_dict["__all__"][0].code == "permission_denied"
