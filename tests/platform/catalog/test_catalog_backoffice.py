"""Clerks maintain the catalogue in the back office on their tenant host."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.authz.actors import system
from portalwerk.platform.catalog.models import Office, PortalSettings, Service
from portalwerk.platform.library import services as library
from portalwerk.platform.library.models import ServiceTemplate

PASSWORD = "Test-Passwort-2026!"  # the personas' password (tests/conftest.py)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def signed_in_clerk(catalogue, clerk, client_for, tenant_a, english):
    client = english(client_for(tenant_a))
    assert client.sign_in(clerk.email).status_code == 302
    return client


def service_id(tenant, slug):
    with schema_context(tenant.schema_name):
        return Service.objects.get(slug=slug).pk


def test_a_clerk_sees_the_services_and_which_library_texts_changed(signed_in_clerk, tenant_a):
    template = ServiceTemplate.objects.get(key="personalausweis")
    template.summary_de = "Neu: Lichtbild nur noch digital."
    library.save_template(actor=system("operator"), template=template)
    html = signed_in_clerk.get("/backoffice/catalog/service/").content.decode()
    assert "Wohnsitz anmelden" in html
    assert "library changed since (version 2)" in html
    assert "Adopt from the template library" in html


def test_a_clerk_previews_an_unpublished_service(signed_in_clerk, tenant_a, client_for):
    with schema_context(tenant_a.schema_name):
        Service.objects.filter(slug="reisepass").update(is_published=False)
    pk = service_id(tenant_a, "reisepass")
    response = signed_in_clerk.get(f"/backoffice/catalog/service/{pk}/preview/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Apply for a passport" in html
    assert "citizens cannot see this page yet" in html
    # while citizens get "not found"
    assert client_for(tenant_a).get("/services/reisepass/").status_code == 404


def test_a_clerk_adopts_a_library_template_from_the_back_office(
    signed_in_clerk, tenant_a, district
):
    # given a template alpha does not have yet (the district's hunting exam)
    response = signed_in_clerk.get("/backoffice/catalog/service/library/")
    assert "Jägerprüfung ablegen" in response.content.decode()
    # when the clerk adopts it
    response = signed_in_clerk.post(
        "/backoffice/catalog/service/library/", {"key": "jaegerpruefung"}
    )
    # then an unpublished copy opens for editing
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        copy = Service.objects.get(library_key="jaegerpruefung")
        assert not copy.is_published
    assert response["Location"] == f"/backoffice/catalog/service/{copy.pk}/change/"


@pytest.mark.parametrize("who", ["anonymous", "citizen", "reader", "other_tenant_clerk"])
def test_only_the_tenants_clerks_may_adopt_or_preview(
    catalogue, client_for, tenant_a, citizen, other_tenant_clerk, who
):
    client = client_for(tenant_a)
    if who == "citizen":
        client.sign_in(citizen.email)
    elif who == "reader":
        with schema_context(tenant_a.schema_name):
            User.objects.create_user("reader@alpha.example", PASSWORD, role=Role.CLERK_READER)
        assert client.sign_in("reader@alpha.example").status_code == 302
    elif who == "other_tenant_clerk":
        assert client.sign_in(other_tenant_clerk.email).status_code != 302
    before = service_count(tenant_a)
    response = client.post("/backoffice/catalog/service/library/", {"key": "jaegerpruefung"})
    assert response.status_code in (302, 403)
    assert service_count(tenant_a) == before
    pk = service_id(tenant_a, "reisepass")
    preview = client.get(f"/backoffice/catalog/service/{pk}/preview/")
    if who == "reader":  # a reader may look, not change
        assert preview.status_code == 200
    else:
        assert preview.status_code == 302
        assert "/backoffice/login/" in preview["Location"]


def service_count(tenant) -> int:
    with schema_context(tenant.schema_name):
        return Service.objects.count()


def settings_form(**overrides):
    data = {
        "portal_name": "",
        "primary_colour": "#00548a",
        "imprint_de": "Stadt Alpha, Markt 1",
        "imprint_en": "",
        "privacy_de": "",
        "privacy_en": "",
        "accessibility_de": "",
        "accessibility_en": "",
        "feedback_email": "a11y@alpha.example",
        "feedback_phone": "",
    }
    return {**data, **overrides}


def settings_url(tenant):
    with schema_context(tenant.schema_name):
        return f"/backoffice/catalog/portalsettings/{PortalSettings.objects.get().pk}/change/"


def test_a_colour_failing_aa_is_rejected_with_an_explanation(
    signed_in_clerk, tenant_a, tenant_admin, client_for, english
):
    client = english(client_for(tenant_a))
    client.sign_in(tenant_admin.email)
    response = client.post(settings_url(tenant_a), settings_form(primary_colour="#ffcc00"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "has a contrast of only 1.5" in html and "at least 4.5:1" in html
    with schema_context(tenant_a.schema_name):
        assert PortalSettings.objects.get().primary_colour == "#00548a"


def test_a_tenant_admin_sets_colour_and_logo(tenant_admin, catalogue, client_for, tenant_a):
    client = client_for(tenant_a)
    client.sign_in(tenant_admin.email)
    logo = SimpleUploadedFile("wappen.png", PNG, content_type="image/png")
    response = client.post(
        settings_url(tenant_a), {**settings_form(primary_colour="#7a1f3d"), "logo_file": logo}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    html = client_for(tenant_a).get("/").content.decode()
    assert "--primary: #7a1f3d;" in html
    assert '<img src="/branding/logo" alt="" class="brand-logo">' in html
    served = client_for(tenant_a).get("/branding/logo")
    assert served["Content-Type"] == "image/png"
    assert served.content == PNG


def test_a_logo_that_is_not_an_image_is_rejected(
    tenant_admin, catalogue, client_for, tenant_a, english
):
    client = english(client_for(tenant_a))
    client.sign_in(tenant_admin.email)
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(settings_url(tenant_a), {**settings_form(), "logo_file": fake})
    assert "The logo must be a PNG or JPEG image." in response.content.decode()
    assert client_for(tenant_a).get("/branding/logo").status_code == 404


def test_overlapping_opening_hours_are_rejected(signed_in_clerk, tenant_a):
    with schema_context(tenant_a.schema_name):
        office = Office.objects.get(slug="standesamt")
        hours = list(office.opening_hours.all())
        closures = list(office.closures.all())
    data = {
        "slug": office.slug,
        "name_de": office.name_de,
        "name_en": office.name_en,
        "street": office.street,
        "postcode": office.postcode,
        "city": office.city,
        "phone": office.phone,
        "email": office.email,
        "accessibility_de": "",
        "accessibility_en": "",
        "opening_hours-TOTAL_FORMS": str(len(hours) + 1),
        "opening_hours-INITIAL_FORMS": str(len(hours)),
        "closures-TOTAL_FORMS": str(len(closures)),
        "closures-INITIAL_FORMS": str(len(closures)),
    }
    for i, period in enumerate(hours):
        data.update(
            {
                f"opening_hours-{i}-id": period.pk,
                f"opening_hours-{i}-office": office.pk,
                f"opening_hours-{i}-weekday": period.weekday,
                f"opening_hours-{i}-opens": period.opens.strftime("%H:%M"),
                f"opening_hours-{i}-closes": period.closes.strftime("%H:%M"),
            }
        )
    n = len(hours)
    data.update(
        {
            f"opening_hours-{n}-office": office.pk,
            f"opening_hours-{n}-weekday": "0",
            f"opening_hours-{n}-opens": "11:00",
            f"opening_hours-{n}-closes": "14:00",
        }
    )
    for i, closure in enumerate(closures):
        data.update(
            {
                f"closures-{i}-id": closure.pk,
                f"closures-{i}-office": office.pk,
                f"closures-{i}-first_day": closure.first_day.isoformat(),
                f"closures-{i}-last_day": closure.last_day.isoformat(),
                f"closures-{i}-reason_de": closure.reason_de,
                f"closures-{i}-reason_en": closure.reason_en,
            }
        )
    response = signed_in_clerk.post(f"/backoffice/catalog/office/{office.pk}/change/", data)
    assert response.status_code == 200
    assert "Two opening periods on Monday overlap." in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert office.opening_hours.count() == len(hours)
