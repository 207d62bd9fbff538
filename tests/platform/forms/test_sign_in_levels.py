"""Forms that need a sign-in of a level of assurance (issue 14), on the citizen's pages: the
start page says what is needed; below it, starting, saving and submitting are refused with a
page that says what is needed, why, and where to sign in more strongly, and nothing is written;
a business form refuses a personal account; a submission records how it was made, the clerk
sees it, and answers the state account vouched for are marked until the citizen corrects them.

The sign-in is the `SignedInWith` an identity provider writes into the session at sign-in, put
into the test client's real session (`tests.helpers.signed_in.remember`)."""

from __future__ import annotations

import json
import re

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.forms.engine.form import FormSpec
from portalwerk.platform.forms.engine.signin import NO_REQUIREMENT
from portalwerk.platform.forms.engine.specs import DefinitionError
from portalwerk.platform.forms.models import Draft, Form, Submission, Upload
from tests.helpers.forms import DEFINITION, publish_form
from tests.helpers.signed_in import BUSINESS, ERIKA, HIGH, LOW, SUBSTANTIAL, definition, remember

TITLE = {"de": "Meldebescheinigung", "en": "Certificate of residence"}
PERSON = {
    "first_name": "Erika",
    "last_name": "Mustermann",
    "born": "12.08.1984",
    "home.street": "Lindenallee",
    "home.house_number": "12a",
    "home.postcode": "12345",
    "home.city": "Musterstadt",
}


@pytest.fixture
def keycloak_configured(settings):
    """Keycloak's provider offers its sign-in link once it is configured (no server is asked
    for a link)."""
    settings.KEYCLOAK_SERVER_URL = "http://127.0.0.1:9"
    settings.KEYCLOAK_REALM = "portalwerk"
    settings.KEYCLOAK_CLIENT_ID = "portal"
    settings.KEYCLOAK_CLIENT_SECRET = "not-used-here"


@pytest.fixture
def substantial_form(tenant_a, clerk):
    with schema_context(tenant_a.schema_name):
        return publish_form(clerk, "residence", TITLE, definition(level="substantial"))


@pytest.fixture
def business_form(tenant_a, clerk):
    with schema_context(tenant_a.schema_name):
        return publish_form(
            clerk,
            "trade",
            {"de": "Gewerbeanmeldung", "en": "Trade registration"},
            definition(level="low", account="business"),
        )


def _count(tenant) -> tuple[int, int, int]:
    with schema_context(tenant.schema_name):
        return Draft.objects.count(), Submission.objects.count(), Upload.objects.count()


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _started(client, slug: str) -> str:
    response = client.post(f"/forms/{slug}/")
    assert response.status_code == 302, _text(response)
    return response["Location"]


def _submit(client, step_url: str):
    base = step_url.rsplit("/", 2)[0]
    assert client.post(step_url, PERSON).status_code == 302
    assert client.post(f"{base}/confirm/", {"truth": "on"}).status_code == 302
    return base, client.post(f"{base}/check/", {"idempotency_key": "k1"})


# -- the definition -----------------------------------------------------------------------------


def test_a_definition_names_the_sign_in_it_needs():
    spec = FormSpec.from_definition(definition(level="high", account="business"))
    assert (spec.sign_in.level, spec.sign_in.account) == ("high", "business")
    assert FormSpec.from_definition(definition(level="low")).sign_in.account == ""


@pytest.mark.parametrize(
    ("sign_in", "problem"),
    [
        ({"level": "medium"}, "sign_in: level must be one of none, low, substantial, high"),
        ({"account": "company"}, "sign_in: account must be one of person, business"),
        ({"level": "low", "who": "me"}, "sign_in: unknown properties ['who']"),
        ("substantial", "sign_in: an object"),
    ],
)
def test_a_wrong_sign_in_requirement_is_a_problem_of_the_definition(sign_in, problem):
    with pytest.raises(DefinitionError) as raised:
        FormSpec.from_definition({**definition(), "sign_in": sign_in})
    assert any(p.startswith(problem) for p in raised.value.problems), raised.value.problems


def test_only_a_date_field_takes_the_birth_date():
    wrong = definition()
    wrong["steps"][0]["fields"][0]["prefill"] = "birth_date"  # first_name, a text field
    with pytest.raises(DefinitionError) as raised:
        FormSpec.from_definition(wrong)
    assert raised.value.problems == [
        "step 1 field 'first_name': prefill 'birth_date' fits date fields only"
    ]
    spec = FormSpec.from_definition(definition())
    assert spec.fields_by_key["born"].prefill == "birth_date"


def test_a_definition_without_sign_in_needs_none_and_its_form_works_as_before(
    client_for, tenant_a, published_form
):
    assert FormSpec.from_definition(DEFINITION).sign_in == NO_REQUIREMENT
    client = client_for(tenant_a)
    page = _text(client.get("/forms/dog-licence/"))
    assert "Vertrauensniveau" not in page
    assert client.post("/forms/dog-licence/").status_code == 302
    assert _count(tenant_a)[0] == 1


def test_the_back_office_editor_explains_a_wrong_level_and_keeps_a_right_one(
    client_for, tenant_a, clerk
):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    data = {
        "slug": "residence",
        "title": json.dumps(TITLE),
        "description": "{}",
        "service_key": "meldewesen",
        "retention_days": 90,
        "retention_action": "delete",
        "draft_days": 7,
        "definition": json.dumps(definition(level="medium")),
    }
    response = client.post("/backoffice/forms/form/add/", data)
    assert response.status_code == 200
    assert "sign_in: level must be one of none, low, substantial, high" in _text(response)
    with schema_context(tenant_a.schema_name):
        assert not Form.objects.exists()
    data["definition"] = json.dumps(definition(level="high", account="business"))
    assert client.post("/backoffice/forms/form/add/", data).status_code == 302
    with schema_context(tenant_a.schema_name):
        version = Form.objects.get(slug="residence").versions.get()
        assert version.spec.sign_in.level == "high"
        assert version.definition["sign_in"] == {"level": "high", "account": "business"}
    # and the preview says it too
    preview = _text(client.get(f"/backoffice/forms/formversion/{version.pk}/preview/"))
    assert (
        "Für diesen Antrag brauchen Sie ein Unternehmenskonto mit dem Vertrauensniveau hoch."
        in (preview)
    )


# -- the start page and starting ------------------------------------------------------------------


def test_the_start_page_says_which_sign_in_the_form_needs(
    client_for, tenant_a, substantial_form, keycloak_configured
):
    client = client_for(tenant_a)
    page = _text(client.get("/forms/residence/"))
    assert (
        "Für diesen Antrag brauchen Sie ein Servicekonto mit dem Vertrauensniveau substanziell."
        in page
    )
    # and, as the citizen is not signed in so, offers the sign-in that is strong enough
    assert (
        'href="/accounts/keycloak/sign-in/?next=%2Fforms%2Fresidence%2F&amp;level=substantial"'
        in page
    )
    english = _text(client.get("/forms/residence/", HTTP_ACCEPT_LANGUAGE="en"))
    assert (
        "For this application you need a service account with the level of assurance "
        "substantial." in english
    )
    # once signed in strongly enough, the page no longer asks for it
    remember(client, tenant_a, HIGH)
    assert "/accounts/keycloak/sign-in/" not in _text(client.get("/forms/residence/"))


@pytest.mark.parametrize("signed_in_with", [None, LOW], ids=["no state account", "low"])
def test_below_the_level_nothing_can_be_started(
    client_for, tenant_a, citizen, substantial_form, keycloak_configured, signed_in_with
):
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    if signed_in_with is not None:
        remember(client, tenant_a, signed_in_with)
    response = client.post("/forms/residence/")
    assert response.status_code == 403
    page = _text(response)
    assert (
        "Für diesen Antrag brauchen Sie ein Servicekonto mit dem Vertrauensniveau substanziell."
        in page
    )
    assert (
        "Sie sind mit dem Vertrauensniveau niedrig angemeldet." in page
        if signed_in_with
        else "Sie sind nicht mit einem Servicekonto angemeldet." in page
    )
    assert "Die Behörde muss sicher wissen, wer den Antrag stellt." in page
    assert "/accounts/keycloak/sign-in/?next=%2Fforms%2Fresidence%2F&amp;level=substantial" in page
    assert _count(tenant_a) == (0, 0, 0)


def test_without_a_provider_offering_a_stronger_sign_in_the_page_says_whom_to_ask(
    client_for, tenant_a, substantial_form, settings
):
    settings.KEYCLOAK_SERVER_URL = ""  # Keycloak enabled but not configured: it offers no link
    response = client_for(tenant_a).post("/forms/residence/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    page = _text(response)
    assert "For this application you need a service account" in page
    assert "Ask the office (Stadt Alpha) how else you can apply." in page
    assert "/accounts/keycloak/" not in page
    assert _count(tenant_a) == (0, 0, 0)


# -- a draft started strongly enough ---------------------------------------------------------


def test_a_draft_started_at_substantial_cannot_be_saved_or_submitted_after_a_weaker_sign_in(
    client_for, tenant_a, citizen, substantial_form, keycloak_configured
):
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    remember(client, tenant_a, SUBSTANTIAL)
    step_url = _started(client, "residence")
    base = step_url.rsplit("/", 2)[0]
    assert client.post(step_url, PERSON).status_code == 302
    assert client.post(f"{base}/confirm/", {"truth": "on"}).status_code == 302
    with schema_context(tenant_a.schema_name):
        before = Draft.objects.values("answers", "completed_steps", "updated_at").get()
    # when the session drops to a weaker sign-in
    remember(client, tenant_a, LOW)
    # then the pages say so before anything is typed, and answering, keeping for later and
    # submitting are all refused, and nothing changes
    changed = {**PERSON, "first_name": "Erik"}
    for response in (
        client.get(step_url),
        client.get(f"{base}/check/"),
        client.post(step_url, changed),
        client.post(step_url, {**changed, "action": "save"}),
        client.post(f"{base}/check/", {"idempotency_key": "k1"}),
    ):
        assert response.status_code == 403
        page = _text(response)
        assert "Sie sind mit dem Vertrauensniveau niedrig angemeldet." in page
        assert "level=substantial" in page
    with schema_context(tenant_a.schema_name):
        assert Draft.objects.values("answers", "completed_steps", "updated_at").get() == before
        assert not Submission.objects.exists()
    # and with the strong sign-in back, the same draft goes through
    remember(client, tenant_a, SUBSTANTIAL)
    response = client.post(f"{base}/check/", {"idempotency_key": "k1"})
    assert response.status_code == 302
    assert _count(tenant_a)[:2] == (0, 1)


def test_a_business_form_refuses_a_personal_account_and_takes_a_business_one(
    client_for, tenant_a, citizen, business_form
):
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    # with a portal account only: no kind of state account at all
    page = _text(client.post("/forms/trade/"))
    assert "Sie sind nicht mit einem Servicekonto angemeldet." in page
    assert "persönlichen Konto" not in page
    remember(client, tenant_a, HIGH)  # strong enough, but a person
    response = client.post("/forms/trade/")
    assert response.status_code == 403
    page = _text(response)
    assert (
        "Für diesen Antrag brauchen Sie ein Unternehmenskonto mit dem Vertrauensniveau niedrig."
        in page
    )
    assert "Sie sind mit einem persönlichen Konto angemeldet." in page
    assert _count(tenant_a) == (0, 0, 0)
    remember(client, tenant_a, BUSINESS)
    step_url = _started(client, "trade")
    _base, response = _submit(client, step_url)
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        identity = Submission.objects.get().identity
    assert identity["kind"] == "business"
    assert identity["organisation"] == BUSINESS.organisation


# -- what a submission records, and the clerk sees -----------------------------------------------


def test_the_state_account_prefills_the_form_and_the_clerk_sees_what_stayed_verified(
    client_for, tenant_a, citizen, clerk, substantial_form
):
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    remember(client, tenant_a, SUBSTANTIAL)
    step_url = _started(client, "residence")
    page = client.get(step_url).content.decode()
    # the citizen finds what the state account vouches for in the form
    for name, value in {**PERSON, "born": "12.08.1984"}.items():
        assert re.search(rf'name="{re.escape(name)}"[^>]*value="{re.escape(value)}"', page), name
    # and corrects the last name (a marriage since) before submitting
    base = step_url.rsplit("/", 2)[0]
    assert client.post(step_url, {**PERSON, "last_name": "Musterfrau"}).status_code == 302
    assert client.post(f"{base}/confirm/", {"truth": "on"}).status_code == 302
    assert client.post(f"{base}/check/", {"idempotency_key": "k1"}).status_code == 302
    with schema_context(tenant_a.schema_name):
        submission = Submission.objects.get()
    assert submission.identity == {
        "provider": "servicekonto",
        "level": "substantial",
        "kind": "person",
        "organisation": {},
        "verified": ["first_name", "born", "home"],
    }
    # the clerk sees how it was made, and which answers are the state account's
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    detail = _text(office.get(f"/backoffice/inbox/{submission.pk}/"))
    assert "<dt>Vertrauensniveau</dt><dd>substanziell</dd>" in detail
    assert "<dt>Identitätsanbieter</dt><dd>servicekonto</dd>" in detail
    marked = re.findall(
        r"<dt>([^<]+)</dt><dd>[^<]*(?:<br>[^<]*)*<strong class=\"verified\">", detail
    )
    assert marked == ["Vorname", "Geburtsdatum", "Anschrift"]
    assert "Musterfrau" in detail
    english = _text(office.get(f"/backoffice/inbox/{submission.pk}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "<dt>Level of assurance</dt><dd>substantial</dd>" in english
    assert "verified (service account)" in english


def test_the_clerk_sees_the_organisation_and_its_representative(
    client_for, tenant_a, citizen, clerk, business_form
):
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    remember(client, tenant_a, BUSINESS)
    _base, response = _submit(client, _started(client, "trade"))
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        submission = Submission.objects.get()
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    detail = _text(office.get(f"/backoffice/inbox/{submission.pk}/"))
    assert "<dt>Konto</dt><dd>Unternehmenskonto</dd>" in detail
    assert "<dt>Organisation</dt><dd>Muster Bau GmbH (DE123456789)</dd>" in detail
    assert "<dt>Vertreten durch</dt><dd>Erika Mustermann</dd>" in detail
    assert "<dt>Identitätsanbieter</dt><dd>elster</dd>" in detail


def test_a_submission_without_a_state_account_records_a_portal_sign_in(
    client_for, tenant_a, citizen, clerk
):
    with schema_context(tenant_a.schema_name):
        publish_form(clerk, "open", TITLE, definition())
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    step_url = _started(client, "open")
    page = client.get(step_url).content.decode()
    assert not re.search(r'name="born"[^>]*value="12.08.1984"', page)  # nobody vouched for it
    _base, response = _submit(client, step_url)
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        submission = Submission.objects.get()
    assert submission.identity["level"] == "none" and submission.identity["verified"] == []
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    detail = _text(office.get(f"/backoffice/inbox/{submission.pk}/"))
    assert "Portalkonto (kein Servicekonto)" in detail
    assert 'class="verified"' not in detail


def test_answers_still_typed_as_the_state_account_gave_them_stay_verified(
    client_for, tenant_a, citizen, substantial_form
):
    """The date typed the German way (12.08.1984) is the date the state account gave
    (1984-08-12): still verified; so is the address, part by part."""
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    remember(client, tenant_a, SUBSTANTIAL)
    step_url = _started(client, "residence")
    _base, response = _submit(client, step_url)
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        identity = Submission.objects.get().identity
    assert ERIKA["birth_date"] == "1984-08-12" and PERSON["born"] == "12.08.1984"
    assert identity["verified"] == ["first_name", "last_name", "born", "home"]
