"""One route per service: what the district is responsible for is applied for at the district's
portal. A member keeps no copy of the district's forms (the demo adopts none, the services
refuse one) and its portal sends citizens to the district's form, on the district's host."""

import pytest
from django.core.exceptions import ValidationError
from django.test.utils import override_settings
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.catalog import demo as catalog_demo
from portalwerk.platform.formlibrary.library import sync_library
from portalwerk.platform.forms import demo as forms_demo
from portalwerk.platform.forms import services
from portalwerk.platform.forms.errors import FormErrorCode as Code
from portalwerk.platform.forms.models import Form
from tests.helpers.forms import DEFINITION

DISTRICT_FORMS = {"fishing-licence-exam", "hunting-licence-exam", "volunteer-card"}


@pytest.fixture
def demo(district, tenant_a):
    """The district and a member seeded as `portalwerk demo` seeds them."""
    forms_demo.seed_library()
    catalog_demo.seed([district, tenant_a])
    for tenant in (district, tenant_a):
        with schema_context(tenant.schema_name):
            admin = User.objects.create_user(
                f"admin@{tenant.slug}.example", "x" * 16, role=Role.TENANT_ADMIN
            )
            forms_demo.seed_forms(actor=from_user(admin))
    return district, tenant_a


def slugs(tenant) -> set[str]:
    with schema_context(tenant.schema_name):
        return set(Form.objects.values_list("slug", flat=True))


def test_the_demo_keeps_the_district_forms_at_the_district_only(demo):
    district, member = demo
    assert DISTRICT_FORMS <= slugs(district)
    assert not DISTRICT_FORMS & slugs(member)
    assert "dog-tax-registration" in slugs(member)


def test_a_members_form_start_for_a_district_service_goes_to_the_districts_portal(demo, client_for):
    _district, member = demo
    response = client_for(member).get("/forms/fishing-licence-exam/")
    assert response.status_code == 302
    assert response["Location"] == "http://testland.localhost/forms/fishing-licence-exam/"
    # and there the form starts
    assert client_for("testland.localhost").get("/forms/fishing-licence-exam/").status_code == 200


@override_settings(PORTALWERK_SCHEME="https", PORTALWERK_PUBLIC_PORT="")
def test_the_link_uses_the_districts_primary_domain(demo, client_for):
    district, member = demo
    district.domains.update(is_primary=False)
    district.domains.create(domain="portal.testland.example", is_primary=True)
    response = client_for(member).get("/forms/hunting-licence-exam/")
    assert response["Location"] == "https://portal.testland.example/forms/hunting-licence-exam/"


def test_the_members_list_of_online_applications_links_to_the_district(demo, client_for):
    _district, member = demo
    html = client_for(member).get("/forms/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'href="http://testland.localhost/forms/fishing-licence-exam/"' in html
    assert "angeboten vom Kreis Testland" in html
    assert 'href="/forms/dog-tax-registration/"' in html


def test_an_unknown_form_is_still_not_found(demo, client_for):
    assert client_for(demo[1]).get("/forms/no-such-form/").status_code == 404


def test_a_member_cannot_adopt_or_build_a_form_for_a_district_service(demo):
    _district, member = demo
    sync_library()
    with schema_context(member.schema_name):
        admin = from_user(User.objects.get(email=f"admin@{member.slug}.example"))
        with pytest.raises(ValidationError) as adopted:
            services.adopt_template(actor=admin, key="fishing-licence-exam", publish=True)
        with pytest.raises(ValidationError) as built:
            services.create_form(
                actor=admin,
                slug="own-hunting",
                title={"de": "Jagd", "en": "Hunting"},
                definition=DEFINITION,
                service_key="jaegerpruefung",
            )
        assert not Form.objects.filter(slug__in=["fishing-licence-exam", "own-hunting"]).exists()
    for refused in (adopted, built):
        error = refused.value.error_dict["service_key"][0]
        assert error.code == Code.DISTRICT_RESPONSIBLE
        assert "http://testland.localhost/" in error.message


def test_the_district_itself_adopts_its_forms(demo):
    district, _member = demo
    with schema_context(district.schema_name):
        Form.objects.filter(slug="volunteer-card").delete()
        admin = from_user(User.objects.get(email=f"admin@{district.slug}.example"))
        form = services.adopt_template(actor=admin, key="volunteer-card", publish=True)
        assert form.published_version is not None
