"""Prefilled answers: a signed-in citizen finds the name and email address their account holds
in the form (and may change them); the address a resume link went to is offered where the form
asks for an email address once the draft is resumed."""

import copy
import re

from django.core import mail
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import User
from portalwerk.platform.formlibrary.library import TEMPLATES
from portalwerk.platform.forms.engine.form import FormSpec
from portalwerk.platform.forms.engine.specs import DefinitionError
from portalwerk.platform.forms.models import Draft
from tests.helpers.forms import DEFINITION, publish_form, run_jobs

PASSWORD = "Test-Passwort-2026!"


def with_prefill() -> dict:
    definition = copy.deepcopy(DEFINITION)
    person = definition["steps"][0]["fields"]
    for field in person:
        field["prefill"] = field["key"]  # first_name, last_name, email
    return definition


def form_with_prefill(tenant, clerk):
    with schema_context(tenant.schema_name):
        return publish_form(
            clerk, "prefilled", {"de": "Antrag", "en": "Application"}, with_prefill()
        )


def value_of(page: str, name: str) -> str | None:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return found.group(1) if found else None


def test_a_signed_in_citizen_finds_their_name_and_address_and_may_change_them(
    client_for, tenant_a, clerk, citizen
):
    form_with_prefill(tenant_a, clerk)
    with schema_context(tenant_a.schema_name):
        User.objects.filter(pk=citizen.pk).update(full_name="Erika Maria Mustermann")
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    # when the citizen starts the form
    first_step = client.post("/forms/prefilled/")["Location"]
    page = client.get(first_step).content.decode()
    # then the first step holds what the account holds
    assert value_of(page, "first_name") == "Erika Maria"
    assert value_of(page, "last_name") == "Mustermann"
    assert value_of(page, "email") == citizen.email
    # and what they type instead is kept
    answer = {"first_name": "Erika", "last_name": "Musterfrau", "email": "erika@example.org"}
    assert client.post(first_step, answer).status_code == 302
    with schema_context(tenant_a.schema_name):
        assert answer.items() <= Draft.objects.get().answers.items()


def test_an_anonymous_citizen_starts_with_empty_fields(client_for, tenant_a, clerk):
    form_with_prefill(tenant_a, clerk)
    client = client_for(tenant_a)
    page = client.get(client.post("/forms/prefilled/")["Location"]).content.decode()
    assert value_of(page, "email") in (None, "")


def test_the_resume_mails_address_is_offered_when_the_draft_is_resumed(client_for, tenant_a, clerk):
    form_with_prefill(tenant_a, clerk)
    client = client_for(tenant_a)
    first_step = client.post("/forms/prefilled/")["Location"]
    base = first_step.rsplit("/", 2)[0]
    client.post(first_step, {"first_name": "Anna", "action": "save"})
    client.post(f"{base}/save/", {"email": "anna@example.com"})
    with schema_context(tenant_a.schema_name):
        mail.outbox.clear()
        run_jobs("send_resume_mail")
    link = re.search(r"http://\S+/forms/resume/\S+/", mail.outbox[0].body).group(0)
    # when another browser resumes the draft from the mail
    browser = client_for(tenant_a)
    resumed = browser.get("/" + link.split("localhost", 1)[-1].split("/", 1)[-1])
    page = browser.get(resumed["Location"]).content.decode()
    # then the step that asks for an email address offers the mail's address
    assert value_of(page, "email") == "anna@example.com"
    assert value_of(page, "first_name") == "Anna"


def test_the_library_forms_prefill_name_email_and_address():
    for template in TEMPLATES:
        spec = FormSpec.from_definition(template["definition"])
        prefilled = {f.prefill for step in spec.steps for f in step.fields if f.prefill}
        assert {"first_name", "last_name", "email", "address"} <= prefilled, template["key"]


ADDRESS = {
    "street": "Lindenallee",
    "house_number": "12a",
    "postcode": "12345",
    "city": "Musterstadt",
}


def with_library_address_step() -> dict:
    """The dog registration asking first for the home address as the library's forms do."""
    library = next(t for t in TEMPLATES if t["key"] == "fishing-licence-exam")["definition"]
    address_step = next(step for step in library["steps"] if step["key"] == "address")
    definition = copy.deepcopy(DEFINITION)
    definition["steps"].insert(0, copy.deepcopy(address_step))
    return definition


def test_a_signed_in_citizen_finds_their_accounts_address_and_may_change_it(
    client_for, tenant_a, clerk, citizen
):
    # given: the citizen keeps an address on their account
    with schema_context(tenant_a.schema_name):
        publish_form(
            clerk, "moving", {"de": "Antrag", "en": "Application"}, with_library_address_step()
        )
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    client.post("/accounts/profile/", ADDRESS)
    # when the citizen starts the form
    address_step = client.post("/forms/moving/")["Location"]
    page = client.get(address_step).content.decode()
    # then the address step holds the account's address
    assert {part: value_of(page, f"home.{part}") for part in ADDRESS} == ADDRESS
    # and what they type instead is kept, the account's address unchanged
    moved = {"home.street": "Am Markt", "home.house_number": "3", "home.postcode": "54321",
             "home.city": "Neustadt"}  # fmt: skip
    assert client.post(address_step, moved).status_code == 302
    with schema_context(tenant_a.schema_name):
        assert Draft.objects.get().answers["home"] == {
            "street": "Am Markt",
            "house_number": "3",
            "postcode": "54321",
            "city": "Neustadt",
        }
        assert User.objects.get(pk=citizen.pk).city == "Musterstadt"


def test_a_citizen_without_an_address_on_their_account_starts_with_an_empty_address(
    client_for, tenant_a, clerk, citizen
):
    with schema_context(tenant_a.schema_name):
        publish_form(
            clerk, "moving", {"de": "Antrag", "en": "Application"}, with_library_address_step()
        )
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    page = client.get(client.post("/forms/moving/")["Location"]).content.decode()
    assert value_of(page, "home.street") in (None, "")


def test_the_address_prefill_fits_address_fields_only():
    definition = with_prefill()
    definition["steps"][0]["fields"][0]["prefill"] = "address"  # a text field
    try:
        FormSpec.from_definition(definition)
    except DefinitionError as exc:
        assert any("prefill 'address'" in p for p in exc.problems)
    else:
        raise AssertionError("an address prefill on a text field was accepted")


def test_an_unknown_prefill_is_a_definition_problem():
    definition = with_prefill()
    definition["steps"][0]["fields"][0]["prefill"] = "tax_id"
    try:
        FormSpec.from_definition(definition)
    except DefinitionError as exc:
        assert any("prefill must be one of" in p for p in exc.problems)
    else:
        raise AssertionError("an unknown prefill source was accepted")
