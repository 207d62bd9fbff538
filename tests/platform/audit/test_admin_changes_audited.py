"""Changes staff make on the back office's admin pages (life situations, offices, services) land
in the one audit trail with the model and the changed fields' names, never their values."""

from django_tenants.utils import schema_context

from portalwerk.platform.audit.models import Entry
from portalwerk.platform.catalog.models import Category

ADD = "/backoffice/catalog/category/add/"


def entries(tenant, action: str) -> list[Entry]:
    with schema_context(tenant.schema_name):
        return list(Entry.objects.filter(action=action).order_by("pk"))


def test_adding_changing_and_deleting_in_the_back_office_is_audited(
    client_for, tenant_a, tenant_admin
):
    office = client_for(tenant_a)
    office.sign_in(tenant_admin.email)
    fields = {"name_de": "Umzug", "name_en": "", "slug": "umzug-test", "position": "5"}
    fields.update({"description_de": "", "description_en": ""})
    # when an admin adds a life situation
    assert office.post(ADD, fields).status_code == 302
    with schema_context(tenant_a.schema_name):
        made = Category.objects.get(slug="umzug-test")
    # then one entry names it and its model, written by that admin
    [created] = entries(tenant_a, "record.created")
    assert (created.object_type, created.object_id) == ("category", str(made.pk))
    assert created.detail == {"model": "catalog.Category"}
    assert created.actor_user_id == tenant_admin.pk
    # when the admin renames it, the entry names the changed field, not its new text
    change = f"/backoffice/catalog/category/{made.pk}/change/"
    assert office.post(change, {**fields, "name_de": "Umzug und Wohnen"}).status_code == 302
    [changed] = entries(tenant_a, "record.changed")
    assert changed.detail["model"] == "catalog.Category"
    assert changed.detail["fields"] and "Umzug und Wohnen" not in str(changed.detail)
    # when the admin deletes it
    delete = f"/backoffice/catalog/category/{made.pk}/delete/"
    assert office.post(delete, {"post": "yes"}).status_code == 302
    [deleted] = entries(tenant_a, "record.deleted")
    assert (deleted.object_type, deleted.object_id) == ("category", str(made.pk))
