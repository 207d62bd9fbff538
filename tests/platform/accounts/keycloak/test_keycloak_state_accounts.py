"""Citizens and businesses signing in through a state account that the real Keycloak brokers
(the stand-ins of tests/state_accounts.py, SAML 2.0): the person's browser follows Keycloak's
redirects and the SAML forms and signs in at the stand-in; the portal's session then holds
what this sign-in proves (assurance.current): the identity provider, the level, the kind of
account, the verified attributes and, for a business, the organisation."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django_tenants.utils import schema_context
from state_accounts import StateAccountBrowser

from portalwerk.platform.accounts.identity import assurance
from portalwerk.platform.accounts.identity.contrib.keycloak import members, oidc, signing_in
from portalwerk.platform.accounts.identity.registry import identity_providers
from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.authz.actors import system
from tests.platform.accounts.keycloak.conftest import local_path
from tests.platform.accounts.keycloak.conftest import sign_in as staff_sign_in

pytestmark = pytest.mark.integration

ERIKA = {
    "first_name": "Erika",
    "last_name": "Mustermann",
    "birth_date": "1964-08-12",
    "street": "Heidestraße",
    "house_number": "17",
    "postcode": "51147",
    "city": "Köln",
}


@pytest.fixture
def accounts(keycloak):
    return keycloak.state_accounts


@pytest.fixture
def browser(keycloak):
    return StateAccountBrowser(keycloak.server_url)


def start(client, **query):
    client.defaults.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    return client.get("/accounts/keycloak/sign-in/", {"next": "/", **query})


def sign_in(client, browser, username, **query):
    """Through the portal's sign-in view with `query` (level, kind), at the stand-in, back."""
    started = start(client, **query)
    assert started.status_code == 302, started.content[:300]
    return client.get(local_path(browser.sign_in(started["Location"], username)))


def held(client, tenant) -> assurance.SignedInWith:
    with schema_context(tenant.schema_name):
        return assurance.current(client.session)


def citizens(tenant, email):
    with schema_context(tenant.schema_name):
        return list(User.objects.filter(email=email))


def test_a_citizen_signs_in_through_the_state_account_at_substantial(
    accounts, browser, tenant_a, client_for
):
    username = f"sk-{uuid.uuid4().hex[:10]}"
    accounts.person.add_person(username, level="substantial")
    client = client_for(tenant_a)

    landed = sign_in(client, browser, username, level="substantial")

    assert landed.status_code == 302 and landed["Location"] == "/"
    assert held(client, tenant_a) == assurance.SignedInWith(
        provider="servicekonto", level="substantial", kind="person", attributes=ERIKA
    )
    [citizen] = citizens(tenant_a, f"{username}@servicekonto.example")
    assert (citizen.role, citizen.full_name, citizen.postal_address) == (
        Role.CITIZEN,
        "Erika Mustermann",
        {"street": "Heidestraße", "house_number": "17", "postcode": "51147", "city": "Köln"},
    )
    assert not citizen.has_usable_password()
    assert client.get("/accounts/profile/").status_code == 200  # signed in on this host


def test_asking_for_a_level_sends_the_person_to_the_state_account_and_makes_it_ask_again(
    tenant_a, client_for
):
    for query in ({"level": "substantial"}, {"kind": "person"}, {"level": "low"}):
        started = start(client_for(tenant_a), **query)
        sent = parse_qs(urlsplit(started["Location"]).query)
        assert (sent["kc_idp_hint"], sent["prompt"]) == (["servicekonto"], ["login"])
    business = parse_qs(urlsplit(start(client_for(tenant_a), kind="business")["Location"]).query)
    assert business["kc_idp_hint"] == ["elster"]
    ordinary = parse_qs(urlsplit(start(client_for(tenant_a))["Location"]).query)
    assert "kc_idp_hint" not in ordinary and "prompt" not in ordinary


def test_the_provider_link_carries_level_and_kind_to_the_sign_in_view(rf, tenant_a):
    keycloak = identity_providers.get("keycloak")
    link = keycloak.sign_in_link(rf.get("/"), "/forms/x/", level="high", kind="business")
    assert link == "/accounts/keycloak/sign-in/?next=%2Fforms%2Fx%2F&level=high&kind=business"


def test_signing_in_again_at_low_holds_low_and_keeps_one_citizen(
    accounts, browser, tenant_a, client_for
):
    username = f"sk-{uuid.uuid4().hex[:10]}"
    person = accounts.person.add_person(username, level="substantial")
    first = client_for(tenant_a)
    sign_in(first, browser, username, level="substantial")
    [before] = citizens(tenant_a, f"{username}@servicekonto.example")

    # the same person, same browser (Keycloak's sessions still open), this time with a weaker means
    accounts.person.set_level(person, "low")
    again = client_for(tenant_a)
    sign_in(again, browser, username, level="low")

    assert browser.logins == 2  # the state account asked again, no SSO shortcut
    assert held(again, tenant_a).level == "low"
    assert held(first, tenant_a).level == "substantial"  # that session's own sign-in
    [after] = citizens(tenant_a, f"{username}@servicekonto.example")
    assert after.pk == before.pk


def test_a_level_the_state_account_no_longer_sends_is_not_kept(
    accounts, browser, tenant_a, client_for
):
    username = f"sk-{uuid.uuid4().hex[:10]}"
    person = accounts.person.add_person(username, level="high")
    sign_in(client_for(tenant_a), browser, username, level="high")

    accounts.person.set_level(person, "")  # the next assertion carries no level at all
    client = client_for(tenant_a)
    sign_in(client, browser, username, level="substantial")

    assert held(client, tenant_a).level == "none"


def test_another_portal_asks_again_rather_than_reusing_the_state_account_session(
    accounts, browser, tenant_a, tenant_b, client_for
):
    username = f"sk-{uuid.uuid4().hex[:10]}"
    accounts.person.add_person(username, level="substantial")
    sign_in(client_for(tenant_a), browser, username, level="substantial")

    # later, on another portal, the ordinary sign-in: the portal asks for its own organization
    # (for the login page), so Keycloak's SSO session does not let a non-member through; the
    # person is asked again and nothing of the first sign-in's level carries over
    client = client_for(tenant_b)
    answer = browser.session.get(start(client)["Location"], timeout=30)

    assert answer.status_code == 200 and 'id="kc-form-login"' in answer.text
    assert "/broker/servicekonto/login" in answer.text  # the state account is offered
    assert held(client, tenant_b) == assurance.SignedInWith()


def test_a_reused_keycloak_session_proves_no_level():
    # Keycloak's answer when an SSO session of earlier was reused (acr "0"), and one whose
    # authentication is older than the sign-in that asked for it
    entry = {"at": 1_800_000_000.0}
    reused = {"acr": "0", "auth_time": 1_800_000_100}
    older = {"acr": "1", "auth_time": 1_700_000_000}
    fresh = {"acr": "1", "auth_time": 1_800_000_100}

    assert not signing_in._fresh(reused, entry)
    assert not signing_in._fresh(older, entry)
    assert signing_in._fresh(fresh, entry)


@pytest.mark.parametrize("claimed", ["STORK-QAA-Level-4", "http://eidas.europa.eu/LoA/highest"])
def test_a_level_value_we_do_not_know_counts_as_none(
    accounts, browser, tenant_a, client_for, claimed
):
    username = f"sk-{uuid.uuid4().hex[:10]}"
    accounts.person.add_person(username, level=claimed)
    client = client_for(tenant_a)

    landed = sign_in(client, browser, username, level="high")

    assert landed.status_code == 302  # signed in, but proving no level
    assert (held(client, tenant_a).level, held(client, tenant_a).attributes) == ("none", ERIKA)


def test_which_values_mean_which_level_is_a_setting(
    accounts, browser, tenant_a, client_for, settings
):
    settings.KEYCLOAK_LEVEL_VALUES = ["http://eidas.europa.eu/LoA/substantial=low"]
    username = f"sk-{uuid.uuid4().hex[:10]}"
    accounts.person.add_person(username, level="substantial")
    client = client_for(tenant_a)

    sign_in(client, browser, username, level="substantial")

    assert held(client, tenant_a).level == "low"


def test_the_staff_sync_leaves_citizens_of_state_accounts_alone(
    accounts, browser, tenant_a, client_for
):
    username = f"sk-{uuid.uuid4().hex[:10]}"
    accounts.person.add_person(username, level="low")
    sign_in(client_for(tenant_a), browser, username, level="low")

    with schema_context(tenant_a.schema_name):
        members.deactivate_unlisted(actor=system("keycloak-sync"))  # no organization lists them

    [citizen] = citizens(tenant_a, f"{username}@servicekonto.example")
    assert citizen.is_active


def test_an_address_a_local_account_holds_already_is_refused_not_taken_over(
    accounts, browser, citizen, tenant_a, client_for
):
    username = f"sk-{uuid.uuid4().hex[:10]}"
    accounts.person.add_person(username, level="high", email=citizen.email)
    client = client_for(tenant_a)

    refused = sign_in(client, browser, username, level="high")

    assert refused.status_code == 403
    assert "There is already an account with the address" in refused.content.decode()
    assert [user.pk for user in citizens(tenant_a, citizen.email)] == [citizen.pk]
    assert client.get("/accounts/profile/").status_code == 302  # nobody signed in


def test_a_business_account_signs_in_as_its_organisation(accounts, browser, tenant_a, client_for):
    username = f"el-{uuid.uuid4().hex[:10]}"
    accounts.business.add_person(
        username,
        level="substantial",
        first_name="Max",
        organisation_name="Bäckerei Mustermann GmbH",
        organisation_id="ELSTER-4711",
    )
    client = client_for(tenant_a)

    landed = sign_in(client, browser, username, kind="business")

    assert landed.status_code == 302
    signed_in = held(client, tenant_a)
    assert (signed_in.provider, signed_in.kind, signed_in.level) == (
        "elster",
        "business",
        "substantial",
    )
    assert signed_in.organisation == {
        "name": "Bäckerei Mustermann GmbH",
        "id": "ELSTER-4711",
        "representative": "Max Mustermann",
    }
    assert signed_in.snapshot()["organisation"]["id"] == "ELSTER-4711"
    [user] = citizens(tenant_a, f"{username}@elster.example")
    assert user.role == Role.CITIZEN


def test_a_state_account_opens_nothing_on_the_base_host(
    accounts, browser, platform_tenant, client_for
):
    username = f"sk-{uuid.uuid4().hex[:10]}"
    accounts.person.add_person(username, level="high")
    client = client_for("localhost")

    asked = start(client, level="high")
    # the ordinary sign-in, where the person picks the state account at Keycloak
    ordinary = start(client)["Location"] + "&kc_idp_hint=servicekonto"
    answered = client.get(local_path(browser.sign_in(ordinary, username)))

    assert asked.status_code == 403 and answered.status_code == 403
    assert "operator console does not accept state accounts" in answered.content.decode()
    assert citizens(platform_tenant, f"{username}@servicekonto.example") == []
    assert held(client, platform_tenant) == assurance.SignedInWith()  # nobody signed in


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"level": "extreme"}, "level of assurance we do not know"),
        ({"kind": "club"}, "kind of account we do not know"),
    ],
)
def test_an_unknown_level_or_kind_is_refused_with_a_page(tenant_a, client_for, query, words):
    refused = start(client_for(tenant_a), **query)

    assert refused.status_code == 400
    assert words in refused.content.decode()


def test_the_refusal_is_german_for_german_readers(tenant_a, client_for):
    client = client_for(tenant_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    refused = client.get("/accounts/keycloak/sign-in/", {"level": "extreme"})
    assert refused.status_code == 400
    assert "Vertrauensniveau" in refused.content.decode()


def test_no_business_account_configured_is_said_plainly(tenant_a, client_for, settings):
    settings.KEYCLOAK_STATE_ACCOUNTS = ["servicekonto:person"]
    refused = start(client_for(tenant_a), kind="business")
    assert refused.status_code == 400
    assert "no sign-in with a business account" in refused.content.decode()


def test_a_staff_sign_in_records_keycloak_and_no_level(realm, username, tenant_a, client_for):
    realm.add_user(username, organizations=("alpha",), roles=("alpha:processor",))
    client = client_for(tenant_a)

    staff_sign_in(client, username)

    assert held(client, tenant_a) == assurance.SignedInWith(provider="keycloak", level="none")


def test_a_misconfigured_state_account_is_reported(settings):
    settings.KEYCLOAK_STATE_ACCOUNTS = ["servicekonto:club"]
    settings.KEYCLOAK_LEVEL_VALUES = ["STORK-QAA-Level-3=great"]
    problems = identity_providers.get("keycloak").check_config()
    assert any("servicekonto:club" in problem for problem in problems)
    assert any("STORK-QAA-Level-3=great" in problem for problem in problems)


def test_signing_out_a_state_account_citizen_ends_the_keycloak_session_too(
    accounts, browser, tenant_a, client_for
):
    username = f"sk-{uuid.uuid4().hex[:10]}"
    accounts.person.add_person(username, level="substantial")
    client = client_for(tenant_a)
    sign_in(client, browser, username, level="substantial")

    out = client.post("/accounts/sign-out/")

    # on a shared computer, the next person must not be let in as this citizen
    assert out["Location"].startswith(f"{oidc.issuer()}/protocol/openid-connect/logout?")
    assert client.get("/accounts/profile/").status_code == 302
