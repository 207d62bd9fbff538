"""Sign-ins with a state account for the forms tests: the `SignedInWith` a provider writes at
sign-in, put into a test client's real session the way the provider puts it (`remember`), and a
form that needs one, prefilling what the state account vouches for."""

from __future__ import annotations

import copy

from django_tenants.utils import schema_context

from portalwerk.platform.accounts.identity import assurance
from portalwerk.platform.accounts.identity.assurance import SignedInWith

ERIKA = {
    "first_name": "Erika",
    "last_name": "Mustermann",
    "birth_date": "1984-08-12",
    "street": "Lindenallee",
    "house_number": "12a",
    "postcode": "12345",
    "city": "Musterstadt",
}
SUBSTANTIAL = SignedInWith(
    provider="servicekonto", level="substantial", kind="person", attributes=ERIKA
)
LOW = SignedInWith(provider="servicekonto", level="low", kind="person", attributes=ERIKA)
HIGH = SignedInWith(provider="bundid", level="high", kind="person", attributes=ERIKA)
BUSINESS = SignedInWith(
    provider="elster",
    level="substantial",
    kind="business",
    attributes={"first_name": "Erika", "last_name": "Mustermann"},
    organisation={
        "name": "Muster Bau GmbH",
        "id": "DE123456789",
        "representative": "Erika Mustermann",
    },
)

PERSON_STEP = {
    "key": "person",
    "title": {"de": "Angaben zur Person", "en": "About you"},
    "fields": [
        {"key": "first_name", "type": "text", "required": True, "prefill": "first_name",
         "label": {"de": "Vorname", "en": "First name"}},
        {"key": "last_name", "type": "text", "required": True, "prefill": "last_name",
         "label": {"de": "Nachname", "en": "Last name"}},
        {"key": "born", "type": "date", "required": True, "prefill": "birth_date",
         "label": {"de": "Geburtsdatum", "en": "Date of birth"}},
        {"key": "home", "type": "address", "required": True, "prefill": "address",
         "label": {"de": "Anschrift", "en": "Address"}},
    ],
}  # fmt: skip
CONFIRM_STEP = {
    "key": "confirm",
    "title": {"de": "Erklärung", "en": "Declaration"},
    "fields": [
        {"key": "truth", "type": "declaration", "required": True,
         "label": {"de": "Ich bestätige meine Angaben.", "en": "I confirm my answers."}},
    ],
}  # fmt: skip


def definition(**sign_in) -> dict:
    """A residence certificate: who you are (prefilled from the state account), a declaration."""
    found = copy.deepcopy({"steps": [PERSON_STEP, CONFIRM_STEP]})
    if sign_in:
        found["sign_in"] = sign_in
    return found


def remember(client, tenant, signed_in_with: SignedInWith) -> None:
    """Put `signed_in_with` into the client's session (a real session row of the tenant), as an
    identity provider does at sign-in."""
    with schema_context(tenant.schema_name):
        session = client.session
        assurance.remember(session, signed_in_with)
        session.save()
