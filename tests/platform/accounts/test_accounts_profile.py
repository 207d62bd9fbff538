"""My account: a citizen keeps the postal address forms offer them, changes only their own, and
sees what is wrong at the field it concerns."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from portalwerk.platform.accounts import profile
from portalwerk.platform.accounts.errors import AccountErrorCode
from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import anonymous, from_user
from tests.conftest import make_user

ADDRESS = {
    "street": "Lindenallee",
    "house_number": "12a",
    "postcode": "12345",
    "city": "Musterstadt",
}


def account(tenant, user) -> User:
    with schema_context(tenant.schema_name):
        return User.objects.get(pk=user.pk)


def test_the_citizen_saves_their_address_on_my_account(tenant_a, citizen, browser_for):
    # given
    browser = browser_for(tenant_a)
    browser.sign_in(citizen.email)
    page = browser.get("/accounts/profile/")
    assert page.status_code == 200
    assert '<label for="id_postcode">' in page.content.decode()

    # when
    saved = browser.post("/accounts/profile/", {**ADDRESS, "street": "  Lindenallee  "})
    shown = browser.get(saved["Location"]).content.decode()

    # then: the address is kept, shown again, and the change audited without the address
    assert saved.status_code == 302 and saved["Location"] == "/accounts/profile/"
    assert account(tenant_a, citizen).postal_address == ADDRESS
    assert "Your address has been saved." in shown and 'value="Lindenallee"' in shown
    with schema_context(tenant_a.schema_name):
        entry = Entry.objects.get(action=Action.ACCOUNT_ADDRESS_CHANGED)
    assert (entry.actor_user_id, entry.object_type, entry.object_id) == (
        citizen.pk,
        "user",
        str(citizen.pk),
    )
    assert "Lindenallee" not in str(entry.detail) and "12345" not in str(entry.detail)


def test_a_bad_postcode_is_refused_with_the_message_at_the_field(tenant_a, citizen, browser_for):
    # given
    browser = browser_for(tenant_a)
    browser.sign_in(citizen.email)

    # when
    page = browser.post("/accounts/profile/", {**ADDRESS, "postcode": "1234", "city": ""})
    html = page.content.decode()

    # then: nothing saved; each message at its field and in the summary that links to it
    assert page.status_code == 400
    assert account(tenant_a, citizen).postal_address == {}
    postcode_error = re.search(r'<p class="error-message" id="id_postcode_error">([^<]*)</p>', html)
    assert postcode_error and "five digits" in postcode_error.group(1)
    assert 'id="id_city_error"' in html and "Enter the town or city." in html
    assert '<a href="#id_postcode">' in html
    assert 'aria-invalid="true"' in html


def test_the_page_speaks_german(tenant_a, citizen, client_for):
    browser = client_for(tenant_a)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    browser.sign_in(citizen.email)
    html = browser.post("/accounts/profile/", {**ADDRESS, "postcode": "abcde"}).content.decode()
    assert "Mein Konto" in html and "Postleitzahl" in html
    assert "Geben Sie eine Postleitzahl mit fünf Ziffern ein" in html


def test_an_anonymous_visitor_is_sent_to_sign_in(tenant_a, browser_for):
    page = browser_for(tenant_a).get("/accounts/profile/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/sign-in/")


def test_another_users_address_cannot_be_changed(tenant_a, citizen):
    # given: two citizens, the other with an address
    other = make_user(tenant_a, "other@alpha.example", Role.CITIZEN)
    with schema_context(tenant_a.schema_name):
        User.objects.filter(pk=other.pk).update(**ADDRESS)
        clerk = make_user(tenant_a, "clerk-p@alpha.example", Role.TENANT_ADMIN)
        for actor in (from_user(citizen), from_user(clerk), anonymous()):
            # when one of them, a tenant admin or nobody tries to change the other's
            with pytest.raises(ValidationError) as raised:
                profile.change_postal_address(
                    actor=actor, user_id=other.pk, **{**ADDRESS, "city": "Anderswo"}
                )
            # then it is refused
            assert raised.value.code == AccountErrorCode.NOT_SIGNED_IN
    assert account(tenant_a, other).city == "Musterstadt"


def test_the_page_changes_only_the_signed_in_users_own_address(tenant_a, citizen, browser_for):
    # given: another citizen with an address, and a post naming them
    other = make_user(tenant_a, "other@alpha.example", Role.CITIZEN)
    with schema_context(tenant_a.schema_name):
        User.objects.filter(pk=other.pk).update(**ADDRESS)
    browser = browser_for(tenant_a)
    browser.sign_in(citizen.email)

    # when
    browser.post("/accounts/profile/", {**ADDRESS, "city": "Anderswo", "user_id": other.pk})

    # then
    assert account(tenant_a, other).city == "Musterstadt"
    assert account(tenant_a, citizen).city == "Anderswo"


def test_emptying_every_part_removes_the_address(tenant_a, citizen):
    with schema_context(tenant_a.schema_name):
        User.objects.filter(pk=citizen.pk).update(**ADDRESS)
        user = User.objects.get(pk=citizen.pk)
        profile.change_postal_address(actor=from_user(user), user_id=user.pk)
    assert account(tenant_a, citizen).postal_address == {}


def test_too_long_parts_are_refused_with_a_code(tenant_a, citizen):
    with schema_context(tenant_a.schema_name):
        with pytest.raises(ValidationError) as raised:
            profile.change_postal_address(
                actor=from_user(citizen),
                user_id=citizen.pk,
                **{**ADDRESS, "street": "x" * 101, "house_number": "1" * 21},
            )
    codes = {field: [e.code for e in errors] for field, errors in raised.value.error_dict.items()}
    assert codes == {
        "street": [AccountErrorCode.TOO_LONG],
        "house_number": [AccountErrorCode.TOO_LONG],
    }
