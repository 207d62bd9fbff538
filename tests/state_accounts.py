"""Stand-ins for the state accounts, in the tests' own Keycloak: a realm `servicekonto` playing
the citizens' account (as BundID and Servicekonto.NRW) and a realm `elster` playing the business
account (an ELSTER-style organisation log-in), each a SAML 2.0 identity provider that the
installation realm (`portalwerk`) brokers under the same alias.

A stand-in's people carry their level of assurance as a user attribute, sent in each assertion as
an eIDAS URI (`http://eidas.europa.eu/LoA/substantial`), with their name, date of birth and
address (and, at `elster`, the organisation). The installation realm imports every attribute at
every broker sign-in (sync mode FORCE, so no level outlives the sign-in that brought it), keeps
them as attributes only an administrator may see or change, and puts them into the ID token
together with the identity provider of this very session (Keycloak's session note
`identity_provider`). README, "State accounts", lists what the portal expects.

`add_state_accounts` is called once per run by the `keycloak` session fixture (tests/conftest.py);
`StateAccountBrowser` is a person's browser signing in through a stand-in."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
from keycloak import KeycloakAdmin
from keycloak_realm import CLIENT_ID, PASSWORD, REALM, Realm

EIDAS = "http://eidas.europa.eu/LoA/"
#: settings the portal reads (platform/settings_test.py sets the same for the test run)
PERSON, BUSINESS = "servicekonto", "elster"
LEVEL = "level_of_assurance"
#: what a stand-in asserts beside the level (SAML attribute = user attribute there), and where
#: the installation realm keeps it; given/family name and email are user properties on both sides
ATTRIBUTES = (
    "birthdate",
    "street",
    "house_number",
    "postcode",
    "city",
    "organisation_name",
    "organisation_id",
)
PROPERTIES = {"email": "email", "given_name": "firstName", "family_name": "lastName"}


def _saml_client(server_url: str, alias: str) -> dict:
    """The installation realm as service provider, as the stand-in realm knows it."""
    endpoint = f"{server_url}/realms/{REALM}/broker/{alias}/endpoint"
    mappers = [
        {
            "name": attribute,
            "protocol": "saml",
            "protocolMapper": "saml-user-property-mapper",
            "config": {
                "user.attribute": prop,
                "attribute.name": attribute,
                "attribute.nameformat": "Basic",
            },
        }
        for attribute, prop in PROPERTIES.items()
    ] + [
        {
            "name": attribute,
            "protocol": "saml",
            "protocolMapper": "saml-user-attribute-mapper",
            "config": {
                "user.attribute": attribute,
                "attribute.name": attribute,
                "attribute.nameformat": "Basic",
            },
        }
        for attribute in (LEVEL, *ATTRIBUTES)
    ]
    return {
        "clientId": f"{server_url}/realms/{REALM}",  # the broker's SP entity id
        "protocol": "saml",
        "enabled": True,
        "redirectUris": [endpoint],
        "attributes": {
            "saml_assertion_consumer_url_post": endpoint,
            "saml.server.signature": "true",
            "saml.assertion.signature": "true",
            "saml.client.signature": "false",
            "saml.authnstatement": "true",
            "saml_force_name_id_format": "true",
            "saml_name_id_format": "username",
        },
        "protocolMappers": mappers,
    }


def _signing_certificate(admin: KeycloakAdmin) -> str:
    for key in admin.get_keys()["keys"]:
        if key.get("algorithm") == "RS256" and key.get("use", "SIG") == "SIG":
            return key["certificate"]
    raise LookupError("the stand-in realm has no RS256 signing key")


def _identity_provider(server_url: str, alias: str, name: str, certificate: str) -> dict:
    return {
        "alias": alias,
        "displayName": name,
        "providerId": "saml",
        "enabled": True,
        "trustEmail": True,
        "storeToken": False,
        "config": {
            "singleSignOnServiceUrl": f"{server_url}/realms/{alias}/protocol/saml",
            "idpEntityId": f"{server_url}/realms/{alias}",
            "nameIDPolicyFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            "principalType": "SUBJECT",
            "postBindingAuthnRequest": "true",
            "postBindingResponse": "true",
            "validateSignature": "true",
            "wantAssertionsSigned": "true",
            "signingCertificate": certificate,
            # The state account asks again at every sign-in the portal starts (prompt=login),
            # so that "sign in with a stronger means" reaches it; FORCE: every sign-in
            # replaces what the last one imported.
            "forceAuthn": "true",
            "syncMode": "FORCE",
        },
    }


def _idp_mappers(alias: str) -> list[dict]:
    importers = [(attribute, prop) for attribute, prop in PROPERTIES.items()] + [
        (attribute, attribute) for attribute in (LEVEL, *ATTRIBUTES)
    ]
    return [
        {
            "name": f"{attribute} (FORCE)",
            "identityProviderAlias": alias,
            "identityProviderMapper": "saml-user-attribute-idp-mapper",
            "config": {"syncMode": "FORCE", "attribute.name": attribute, "user.attribute": prop},
        }
        for attribute, prop in importers
    ] + [
        {
            # who comes through a state account never clashes with staff usernames
            "name": "username",
            "identityProviderAlias": alias,
            "identityProviderMapper": "saml-username-idp-mapper",
            "config": {"syncMode": "FORCE", "template": "${ALIAS}.${NAMEID}"},
        }
    ]


def _portal_mappers() -> list[dict]:
    """ID-token claims of the portal's client: the provider of this session and the attributes."""
    claims = {"id.token.claim": "true", "access.token.claim": "false"}
    session_note = {
        "name": "identity provider of this session",
        "protocol": "openid-connect",
        "protocolMapper": "oidc-usersessionmodel-note-mapper",
        "config": {
            "user.session.note": "identity_provider",
            "claim.name": "identity_provider",
            "jsonType.label": "String",
            **claims,
        },
    }
    return [session_note] + [
        {
            "name": f"state account: {attribute}",
            "protocol": "openid-connect",
            "protocolMapper": "oidc-usermodel-attribute-mapper",
            "config": {
                "user.attribute": attribute,
                "claim.name": attribute,
                "jsonType.label": "String",
                **claims,
            },
        }
        for attribute in (LEVEL, *ATTRIBUTES)
    ]


def _declare_attributes(admin: KeycloakAdmin, names: tuple[str, ...]) -> None:
    """User-profile attributes only an administrator (and the broker's mappers) may set: a
    person cannot raise their own level in the account console."""
    profile = admin.get_realm_users_profile()
    known = {attribute["name"] for attribute in profile.get("attributes", [])}
    for name in names:
        if name not in known:
            profile["attributes"].append(
                {
                    "name": name,
                    "displayName": name,
                    "permissions": {"view": ["admin"], "edit": ["admin"]},
                    "multivalued": False,
                }
            )
    admin.update_realm_users_profile(profile)


@dataclass
class StandIn:
    """One stand-in state account: its realm's admin API and its people."""

    alias: str
    admin: KeycloakAdmin

    def add_person(
        self,
        username: str,
        *,
        level: str = "substantial",
        first_name: str = "Erika",
        last_name: str = "Mustermann",
        birthdate: str = "1964-08-12",
        street: str = "Heidestraße",
        house_number: str = "17",
        postcode: str = "51147",
        city: str = "Köln",
        organisation_name: str = "",
        organisation_id: str = "",
        email: str = "",
    ) -> str:
        """A person at the stand-in; `level` is an eIDAS level, or any other value as is (a
        claim the portal must not trust)."""
        attributes = {
            LEVEL: self.level_value(level),
            "birthdate": birthdate,
            "street": street,
            "house_number": house_number,
            "postcode": postcode,
            "city": city,
            "organisation_name": organisation_name,
            "organisation_id": organisation_id,
        }
        return self.admin.create_user(
            {
                "username": username,
                "email": email or f"{username}@{self.alias}.example",
                "firstName": first_name,
                "lastName": last_name,
                "enabled": True,
                "emailVerified": True,
                "attributes": {key: [value] for key, value in attributes.items() if value},
                "credentials": [{"type": "password", "value": PASSWORD, "temporary": False}],
            }
        )

    @staticmethod
    def level_value(level: str) -> str:
        return f"{EIDAS}{level}" if level in {"low", "substantial", "high"} else level

    def set_level(self, user_id: str, level: str) -> None:
        """The person signs in there with another means this time (a weaker or stronger one)."""
        user = self.admin.get_user(user_id)
        attributes = {**user.get("attributes", {}), LEVEL: [self.level_value(level)]}
        self.admin.update_user(user_id, {**user, "attributes": attributes})


@dataclass
class StateAccounts:
    person: StandIn
    business: StandIn
    #: ready-made people for any suite (browser tests): level -> username, all with PASSWORD
    citizens: dict[str, str] = field(default_factory=dict)
    businesses: dict[str, str] = field(default_factory=dict)


def _stand_in(server_url: str, admin_password: str, alias: str, name: str) -> StandIn:
    admin = KeycloakAdmin(
        server_url=server_url,
        username="admin",
        password=admin_password,
        realm_name="master",
        user_realm_name="master",
    )
    admin.create_realm({"realm": alias, "enabled": True, "displayName": name}, skip_exists=True)
    admin.change_current_realm(alias)
    _declare_attributes(admin, (LEVEL, *ATTRIBUTES))
    admin.create_client(_saml_client(server_url, alias), skip_exists=True)
    return StandIn(alias=alias, admin=admin)


def add_state_accounts(realm: Realm, admin_password: str) -> StateAccounts:
    """The two stand-ins and their brokering by the installation realm; kept on `realm`."""
    accounts = StateAccounts(
        person=_stand_in(realm.server_url, admin_password, PERSON, "Servicekonto (Testdouble)"),
        business=_stand_in(realm.server_url, admin_password, BUSINESS, "ELSTER (Testdouble)"),
    )
    installation = realm.admin  # its current realm is the installation realm
    _declare_attributes(installation, (LEVEL, *ATTRIBUTES))
    for stand_in, name in ((accounts.person, "Servicekonto"), (accounts.business, "ELSTER")):
        certificate = _signing_certificate(stand_in.admin)
        installation.create_idp(
            _identity_provider(realm.server_url, stand_in.alias, name, certificate)
        )
        for mapper in _idp_mappers(stand_in.alias):
            installation.add_mapper_to_idp(stand_in.alias, mapper)
    client_uuid = installation.get_client_id(CLIENT_ID)
    for mapper in _portal_mappers():
        installation.add_mapper_to_client(client_uuid, mapper)
    for level in ("low", "substantial", "high"):
        accounts.citizens[level] = f"citizen-{level}"
        accounts.person.add_person(f"citizen-{level}", level=level)
        accounts.businesses[level] = f"business-{level}"
        accounts.business.add_person(
            f"business-{level}",
            level=level,
            organisation_name="Bäckerei Mustermann GmbH",
            organisation_id=f"ELSTER-{level.upper()}-0001",
        )
    realm.state_accounts = accounts
    return accounts


class StateAccountBrowser:
    """A person's browser signing in through a stand-in: follows Keycloak's redirects and the
    auto-posting SAML forms (a browser posts them by script), fills in the stand-in's login
    form, and stops at the first address outside Keycloak (the portal's callback). Keeps the
    cookies between sign-ins, marked not Secure for requests' sake (on http://127.0.0.1)."""

    def __init__(self, keycloak_url: str):
        self.keycloak = urlsplit(keycloak_url).netloc
        self.session = requests.Session()
        self.logins = 0  # how often the stand-in asked for the password

    def _send(self, method: str, url: str, data=None) -> requests.Response:
        response = self.session.request(method, url, data=data, allow_redirects=False, timeout=30)
        for cookie in self.session.cookies:
            cookie.secure = False
        return response

    def sign_in(self, authorize_url: str, username: str, password: str = PASSWORD) -> str:
        response = self._send("GET", authorize_url)
        for _step in range(20):
            url = response.url
            if response.is_redirect:
                target = urljoin(url, response.headers["Location"])
                if urlsplit(target).netloc != self.keycloak:
                    return target
                response = self._send("GET", target)
                continue
            page = response.text
            login = re.search(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"', page)
            if login:
                self.logins += 1
                response = self._send(
                    "POST",
                    html.unescape(login.group(1)),
                    {"username": username, "password": password},
                )
                continue
            auto_post = re.search(r'<form[^>]*action="([^"]+)"[^>]*>', page)
            hidden = dict(
                re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
            )
            if auto_post and ("SAMLRequest" in hidden or "SAMLResponse" in hidden):
                data = {key: html.unescape(value) for key, value in hidden.items()}
                response = self._send("POST", html.unescape(auto_post.group(1)), data)
                continue
            raise AssertionError(
                f"Keycloak did not sign {username} in: {response.status_code} {page[:800]}"
            )
        raise AssertionError(f"no end to the redirects for {username}")
