import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import system
from portalwerk.platform.catalog import services
from portalwerk.platform.catalog.models import Service
from portalwerk.platform.library import services as library
from portalwerk.platform.library.models import ServiceTemplate


@pytest.fixture
def template(db):
    return library.save_template(
        actor=system("operator"),
        template=ServiceTemplate(
            key="hundesteuer",
            name_de="Hundesteuer anmelden",
            summary_de="Hunde sind steuerpflichtig.",
            leika_key="99089001001000",
        ),
    )


def test_templates_live_in_the_public_schema_and_every_tenant_sees_them(template, tenant_a):
    with schema_context(tenant_a.schema_name):
        assert ServiceTemplate.objects.filter(key="hundesteuer").exists()


def test_a_clerk_adopts_a_template_as_an_unpublished_copy(template, tenant_a, tenant_b):
    # when alpha adopts the template
    with schema_context(tenant_a.schema_name):
        copy = services.adopt_template(actor=system("clerk"), key="hundesteuer")
        # then alpha has an unpublished copy that remembers where it came from
        assert copy.name_de == "Hundesteuer anmelden"
        assert copy.leika_key == "99089001001000"
        assert not copy.is_published
        assert (copy.library_key, copy.library_version) == ("hundesteuer", 1)
        assert not services.library_changed(copy)
        # and can adapt it without touching the library
        copy.summary_de = "In Alpha kostet der erste Hund 80 € im Jahr."
        copy.save()
    assert ServiceTemplate.objects.get(key="hundesteuer").summary_de == (
        "Hunde sind steuerpflichtig."
    )
    # and beta's catalogue is untouched
    with schema_context(tenant_b.schema_name):
        assert not Service.objects.exists()


def test_the_copy_shows_when_the_library_changed_since(template, tenant_a):
    with schema_context(tenant_a.schema_name):
        copy = services.adopt_template(actor=system("clerk"), key="hundesteuer")
    # when the operator saves the template without changing content, nothing changed
    library.save_template(
        actor=system("operator"), template=ServiceTemplate.objects.get(pk=template.pk)
    )
    with schema_context(tenant_a.schema_name):
        assert not services.library_changed(Service.objects.get(pk=copy.pk))
    # when the operator changes the content
    changed = ServiceTemplate.objects.get(pk=template.pk)
    changed.summary_de = "Neue Satzung ab 2027."
    library.save_template(actor=system("operator"), template=changed)
    assert changed.version == 2
    # then the copy says the library changed since, and the clerk can take the new text
    with schema_context(tenant_a.schema_name):
        copy = Service.objects.get(pk=copy.pk)
        assert services.library_changed(copy)
        services.refresh_from_template(actor=system("clerk"), service=copy)
        copy.refresh_from_db()
        assert copy.summary_de == "Neue Satzung ab 2027."
        assert copy.library_version == 2
        assert not services.library_changed(copy)


def test_adopting_an_unknown_template_is_an_error_value(tenant_a):
    with schema_context(tenant_a.schema_name), pytest.raises(ValidationError) as caught:
        services.adopt_template(actor=system("clerk"), key="gibt-es-nicht")
    assert caught.value.code == "template_not_found"


def test_adopting_twice_gives_two_copies_with_distinct_addresses(template, tenant_a):
    with schema_context(tenant_a.schema_name):
        first = services.adopt_template(actor=system("clerk"), key="hundesteuer")
        second = services.adopt_template(actor=system("clerk"), key="hundesteuer")
        assert first.slug != second.slug
