"""A citizen's whole way through a form that needs the level of assurance "substantial", by
keyboard only, with the real Keycloak and its stand-in state account (tests/state_accounts.py):
signed in at "low" through Keycloak's page and the state account's login form, the citizen is
refused with a page that says why and offers a stronger sign-in; following it, they sign in at
"substantial", find what the state account vouches for already in the form, submit and get the
confirmation. The submission records how it was made, the clerk sees it, and signing out ends
the portal session. The refusal page and the form page are axe-clean."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from keycloak_realm import PASSWORD as STATE_ACCOUNT_PASSWORD

from tests.browser.conftest import MEMBER
from tests.browser.keyboard import press_button, tab_to
from tests.helpers.forms import delete_forms_data, publish_form
from tests.helpers.signed_in import definition

pytestmark = [pytest.mark.browser, pytest.mark.integration]

SLUG = "residence-journey"
CLERK = "journey-clerk@alpha.example"
CLERK_PASSWORD = "Test-Passwort-2026!"
#: what the stand-in state account asserts for a person (tests/state_accounts.py)
ERIKA = {
    "f-first_name": "Erika",
    "f-last_name": "Mustermann",
    "f-born": "12.08.1964",
    "f-home-street": "Heidestraße",
    "f-home-house_number": "17",
    "f-home-postcode": "51147",
    "f-home-city": "Köln",
}
NEEDS = "Für diesen Antrag brauchen Sie ein Servicekonto mit dem Vertrauensniveau substanziell."
LOW_NOW = "Sie sind mit dem Vertrauensniveau niedrig angemeldet."


def _email(username: str) -> str:
    return f"{username}@servicekonto.example"


@pytest.fixture
def journey(keycloak, portal_server, live_db):
    """The form in Stadt Alpha, a clerk, a person at the stand-in state account who signs in
    with a weak means (level low) first, and Keycloak's client accepting the live server's
    address (its port) to send sign-ins and sign-outs back to."""
    from portalwerk.platform.accounts.identity.contrib.keycloak.models import PortalSession
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.audit.models import Entry as AuditEntry
    from portalwerk.tenants.models import Tenant

    tenant = Tenant.objects.get(slug="alpha")
    stand_in = keycloak.state_accounts.person
    username = f"journey-{uuid.uuid4().hex[:8]}"
    person = stand_in.add_person(username, level="low")
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user(CLERK, CLERK_PASSWORD, role=Role.CLERK_PROCESSOR)
        title = {"de": "Meldebescheinigung", "en": "Certificate of residence"}
        publish_form(clerk, SLUG, title, definition(level="substantial"))
    client = keycloak.admin.get_client(keycloak.client_uuid)
    before = {"redirectUris": client["redirectUris"], "attributes": dict(client["attributes"])}
    here = portal_server.url(MEMBER, "")
    logout_uris = before["attributes"].get("post.logout.redirect.uris", "")
    keycloak.admin.update_client(
        keycloak.client_uuid,
        {
            "redirectUris": [*before["redirectUris"], f"{here}/accounts/keycloak/callback/"],
            "attributes": {
                **before["attributes"],
                "post.logout.redirect.uris": f"{logout_uris}##{here}/*".lstrip("#"),
            },
        },
    )
    yield tenant, stand_in, person, username
    keycloak.admin.update_client(keycloak.client_uuid, before)
    stand_in.admin.delete_user(person)
    for brokered in keycloak.admin.get_users({"username": f"servicekonto.{username}"}):
        keycloak.admin.delete_user(brokered["id"])
    with schema_context(tenant.schema_name):
        delete_forms_data()
        AuditEntry.objects.all().delete()
        made = list(User.objects.filter(email=_email(username)))
        User.objects.filter(email__in=[_email(username), CLERK]).delete()
    PortalSession.objects.filter(subject__in=[user.external_id for user in made]).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = %s", [tenant.schema_name]
        )
    connection.set_schema_to_public()


def _focused(page, attribute: str) -> str:
    return page.evaluate(f"document.activeElement && document.activeElement.{attribute}") or ""


def tab_to_link(page, href_part: str, limit: int = 80) -> None:
    """Press Tab until a link whose address contains `href_part` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if href_part in _focused(page, "href"):
            return
    raise AssertionError(f"no link to {href_part} can be reached with the Tab key on {page.url}")


def follow(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def focus(page, element_id: str) -> None:
    """Keycloak's pages focus their first field already; otherwise Tab to it."""
    if _focused(page, "id") != element_id:
        tab_to(page, element_id)


def sign_in_at_the_state_account(page, username: str) -> None:
    """On the stand-in's own login form (reached by the SAML redirect), by keyboard."""
    page.wait_for_url(re.compile(r".*/realms/servicekonto/.*"))
    page.wait_for_selector("#username, #password")
    if page.locator("#username").is_visible():
        focus(page, "username")
        page.keyboard.type(username)
    else:  # signing in again: the state account knows who it is and asks only for the password
        assert page.locator("#kc-attempted-username").input_value() == username
    focus(page, "password")
    page.keyboard.type(STATE_ACCOUNT_PASSWORD)
    page.keyboard.press("Enter")


def _html(page) -> str:
    return re.sub(r"\s+", " ", page.content())


def test_a_citizen_signs_in_more_strongly_applies_and_signs_out_by_keyboard(
    journey, portal_server, new_page, assert_accessible
):
    from portalwerk.platform.forms.models import Submission

    tenant, stand_in, person, username = journey
    form_url = portal_server.url(MEMBER, f"/forms/{SLUG}/")
    page = new_page(locale="de-DE", extra_http_headers={"Accept-Language": "de"})

    # signed in at "low": the portal's sign-in, Keycloak's page, the state account's form
    page.goto(portal_server.url(MEMBER, f"/accounts/sign-in/?next=/forms/{SLUG}/"))
    tab_to_link(page, "/accounts/keycloak/sign-in/")
    follow(page)
    page.wait_for_url(re.compile(r".*/realms/portalwerk/.*"))
    tab_to_link(page, "/broker/servicekonto/")  # Keycloak's button for the state account
    follow(page)
    sign_in_at_the_state_account(page, username)
    page.wait_for_url(form_url)

    # starting is refused, in words, with the stronger sign-in offered
    press_button(page, "Jetzt starten")
    assert page.locator("h1").inner_text() == "Eine sicherere Anmeldung ist nötig"
    text = page.inner_text("main")
    assert NEEDS in text and LOW_NOW in text
    assert "Mit einem sichereren Verfahren anmelden" in text
    assert_accessible(page)

    # the stronger sign-in: straight to the state account, which asks again; this time the
    # citizen uses a stronger means there (the stand-in asserts "substantial")
    stand_in.set_level(person, "substantial")
    tab_to_link(page, "level=substantial")
    follow(page)
    sign_in_at_the_state_account(page, username)
    page.wait_for_url(form_url)
    assert "Sie sind mit dem Vertrauensniveau" not in page.inner_text("main")

    # the form holds what the state account vouches for; the citizen only confirms
    press_button(page, "Jetzt starten")
    assert "/person/" in page.url
    for field_id, value in ERIKA.items():
        assert page.locator(f"#{field_id}").input_value() == value, field_id
    assert_accessible(page)
    press_button(page, "Weiter")
    tab_to(page, "f-truth")
    page.keyboard.press("Space")
    press_button(page, "Weiter")
    assert "/check/" in page.url
    press_button(page, "Antrag absenden")
    assert page.locator("h1").inner_text() == "Antrag abgesendet"
    with schema_context(tenant.schema_name):
        submission = Submission.objects.select_related("user").get(form__slug=SLUG)
    assert submission.reference in page.inner_text("main")
    assert submission.identity == {
        "provider": "servicekonto",
        "level": "substantial",
        "kind": "person",
        "organisation": {},
        "verified": ["first_name", "last_name", "born", "home"],
    }
    assert submission.user.email == _email(username)  # the same citizen as before

    # the clerk sees how it was made and which answers the state account vouched for
    office = new_page(locale="de-DE", extra_http_headers={"Accept-Language": "de"})
    office.goto(portal_server.url(MEMBER, "/accounts/sign-in/"))
    office.fill("#id_email", CLERK)
    office.fill("#id_password", CLERK_PASSWORD)
    with office.expect_navigation():
        office.press("#id_password", "Enter")
    office.goto(portal_server.url(MEMBER, f"/backoffice/inbox/{submission.pk}/"))
    detail = _html(office)
    assert "<dt>Vertrauensniveau</dt><dd>substanziell</dd>" in detail
    assert "<dt>Identitätsanbieter</dt><dd>servicekonto</dd>" in detail
    marked = re.findall(
        r"<dt>([^<]+)</dt><dd>[^<]*(?:<br>[^<]*)*<strong class=\"verified\">", detail
    )
    assert marked == ["Vorname", "Nachname", "Geburtsdatum", "Anschrift"]

    # signing out by keyboard ends the portal session (and Keycloak's, which sends back here)
    press_button(page, "Abmelden")
    page.wait_for_url(portal_server.url(MEMBER, "/"))
    page.goto(portal_server.url(MEMBER, "/accounts/profile/"))
    assert "/accounts/sign-in/" in page.url
    # nor does Keycloak let them back in without asking
    page.goto(portal_server.url(MEMBER, "/accounts/keycloak/sign-in/?next=/accounts/profile/"))
    assert "/realms/portalwerk/" in page.url, f"signed in again without being asked: {page.url}"
    assert page.locator("#username").count() == 1
