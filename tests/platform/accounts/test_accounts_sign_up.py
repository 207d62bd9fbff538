"""Citizen sign-up on a tenant host and the confirmation of the address by a mailed link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.platform.accounts import tokens
from portalwerk.platform.accounts.models import Role, User

GOOD = {"full_name": "Erika Mustermann", "email": "erika@example.org", "password": "Lindenblatt-47"}


def users_named(tenant, email: str) -> list[User]:
    with schema_context(tenant.schema_name):
        return list(User.objects.filter(email__iexact=email))


def test_sign_up_form_is_labelled_and_autocompletes(tenant_a, browser_for):
    # given
    browser = browser_for(tenant_a)

    # when
    page = browser.get("/accounts/sign-up/")

    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<h1>") == 1
    assert '<label for="id_full_name">' in html and 'autocomplete="name"' in html
    assert '<label for="id_email">' in html and 'autocomplete="email"' in html
    assert '<label for="id_password">' in html and 'autocomplete="new-password"' in html
    assert 'aria-describedby="id_password_helptext"' in html  # the password rules are read out
    assert 'id="id_password_helptext"' in html


def test_sign_up_mails_a_link_that_confirms_the_address(
    tenant_a, browser_for, mail_jobs, deliver_mail, link_in
):
    # given
    browser = browser_for(tenant_a)

    # when
    response = browser.post("/accounts/sign-up/", GOOD)
    job_args = [job.args for job in mail_jobs()]
    mails = deliver_mail()

    # then: an unverified citizen, and one job for the mail, deferred in this tenant's schema
    assert response.status_code == 302 and response["Location"] == "/accounts/sign-up/done/"
    [user] = users_named(tenant_a, GOOD["email"])
    assert user.role == Role.CITIZEN and user.full_name == GOOD["full_name"]
    assert user.email_verified_at is None and user.check_password(GOOD["password"])
    assert [args["schema_name"] for args in job_args] == [tenant_a.schema_name]
    # the mail: to the new address, a link to this tenant's host, and no other personal data
    [message] = mails
    assert message.to == [GOOD["email"]]
    link = link_in(message)
    assert link.netloc == "alpha.localhost"
    assert "Erika" not in message.body and "Mustermann" not in message.body
    assert "Stadt Alpha" in message.body

    # when: the citizen opens the link
    page = browser.get(link.path)

    # then
    assert page.status_code == 200
    assert "Your email address is confirmed." in page.content.decode()
    [user] = users_named(tenant_a, GOOD["email"])
    assert user.email_verified_at is not None


def test_done_page_does_not_repeat_the_address(tenant_a, browser_for):
    # given
    browser = browser_for(tenant_a)

    # when
    page = browser.post("/accounts/sign-up/", GOOD, follow=True)

    # then
    html = page.content.decode()
    assert "Check your inbox" in html
    assert GOOD["email"] not in html


def test_unverified_citizen_may_sign_in_and_is_told_to_confirm(tenant_a, browser_for):
    # given
    browser = browser_for(tenant_a)
    browser.post("/accounts/sign-up/", GOOD)

    # when
    page = browser.post(
        "/accounts/sign-in/", {"email": GOOD["email"], "password": GOOD["password"]}, follow=True
    )

    # then
    html = page.content.decode()
    assert page.status_code == 200 and 'class="who"' in html
    assert "Your email address is not confirmed yet." in html
    assert 'href="/accounts/verify-email/"' in html


def test_signed_in_citizen_can_ask_for_a_new_link(tenant_a, browser_for, deliver_mail, link_in):
    # given
    browser = browser_for(tenant_a)
    browser.post("/accounts/sign-up/", GOOD)
    deliver_mail()
    browser.sign_in(GOOD["email"], GOOD["password"])

    # when
    page = browser.post("/accounts/verify-email/", follow=True)
    [message] = deliver_mail()
    confirmed = browser.get(link_in(message).path)

    # then
    assert "We have sent you a new link." in page.content.decode()
    assert message.to == [GOOD["email"]]
    assert confirmed.status_code == 200
    assert users_named(tenant_a, GOOD["email"])[0].email_verified


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({}, "full_name", "Enter your name."),
        ({**GOOD, "full_name": "  "}, "full_name", "Enter your name."),
        ({**GOOD, "email": ""}, "email", "Enter your email address."),
        ({**GOOD, "email": "erika@"}, "email", "Enter an email address in the right format"),
        ({**GOOD, "password": ""}, "password", "Enter a password."),
        ({**GOOD, "password": "Kurz-1"}, "password", "This password is too short."),
        ({**GOOD, "password": "password123"}, "password", "This password is too common."),
        ({**GOOD, "password": "erika@example.org"}, "password", "too similar"),
    ],
)
def test_bad_sign_up_is_refused_with_messages_and_creates_nothing(
    tenant_a, browser_for, mail_jobs, data, field, message
):
    # given
    browser = browser_for(tenant_a)

    # when
    page = browser.post("/accounts/sign-up/", data)

    # then
    html = page.content.decode()
    assert page.status_code == 400
    assert "There is a problem" in html
    assert f'<a href="#id_{field}">' in html  # the summary links to the field
    assert message in html
    assert 'aria-invalid="true"' in html
    assert users_named(tenant_a, data.get("email") or GOOD["email"]) == []
    assert mail_jobs() == []


@pytest.mark.parametrize(
    "password, message",
    [
        ("password123", "Dieses Passwort ist weit verbreitet und leicht zu erraten."),
        ("4817203956", "Dieses Passwort besteht nur aus Ziffern."),
    ],
)
def test_a_weak_password_is_explained_in_natural_german(tenant_a, browser_for, password, message):
    browser = browser_for(tenant_a)
    page = browser.post(
        "/accounts/sign-up/", {**GOOD, "password": password}, HTTP_ACCEPT_LANGUAGE="de"
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert message in html
    assert "zu üblich" not in html and "komplett numerisch" not in html


def test_sign_up_with_a_known_address_answers_the_same_and_tells_the_owner(
    tenant_a, citizen, browser_for, deliver_mail
):
    # given
    browser = browser_for(tenant_a)

    # when
    response = browser.post("/accounts/sign-up/", {**GOOD, "email": citizen.email.upper()})
    mails = deliver_mail()

    # then: the stranger learns nothing; the owner learns someone tried
    assert response.status_code == 302 and response["Location"] == "/accounts/sign-up/done/"
    assert len(users_named(tenant_a, citizen.email)) == 1
    [message] = mails
    assert message.to == [citizen.email]
    assert "/accounts/password-reset/" in message.body


def test_same_address_may_sign_up_on_two_tenants(tenant_a, tenant_b, citizen, browser_for):
    # given: the address has an account on tenant A
    browser = browser_for(tenant_b)

    # when
    browser.post("/accounts/sign-up/", {**GOOD, "email": citizen.email})

    # then: tenant B gets its own, unrelated account
    [user] = users_named(tenant_b, citizen.email)
    assert user.full_name == GOOD["full_name"] and not user.email_verified


def test_sign_up_is_not_offered_on_the_platform_host(platform_tenant, browser_for):
    # given
    browser = browser_for("localhost")

    # when
    page = browser.post("/accounts/sign-up/", GOOD)

    # then
    assert page.status_code == 404
    assert users_named(platform_tenant, GOOD["email"]) == []


def test_expired_confirmation_link_shows_a_clear_page(tenant_a, browser_for):
    # given: a link issued four days ago (links are valid for three)
    with schema_context(tenant_a.schema_name):
        user = User.objects.create_user("late@example.org", "Lindenblatt-47")
        token = tokens.make_token(
            user, tokens.Purpose.VERIFY_EMAIL, now=timezone.now() - timedelta(days=4)
        )
    browser = browser_for(tenant_a)

    # when
    page = browser.get(f"/accounts/verify-email/{token}/")

    # then
    assert page.status_code == 400
    assert "The link has expired" in page.content.decode()
    assert not users_named(tenant_a, "late@example.org")[0].email_verified


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:20],
        lambda token: "x" + token,
        lambda token: "a" * 2000,
    ],
)
def test_tampered_confirmation_link_shows_a_clear_page(
    tenant_a, browser_for, deliver_mail, link_in, tamper
):
    # given
    browser = browser_for(tenant_a)
    browser.post("/accounts/sign-up/", GOOD)
    path = link_in(deliver_mail()[0]).path
    token = path.rstrip("/").rsplit("/", 1)[1]

    # when
    page = browser.get(f"/accounts/verify-email/{tamper(token)}/")

    # then
    assert page.status_code == 400
    assert "The link is not valid" in page.content.decode()
    assert not users_named(tenant_a, GOOD["email"])[0].email_verified


def test_confirmation_link_of_one_tenant_does_nothing_on_another(
    tenant_a, tenant_b, browser_for, deliver_mail, link_in
):
    # given: A's link, and on B an account with the same id and the same address (the worst
    # case: only the tenant the link was made for tells the two apart)
    browser_for(tenant_a).post("/accounts/sign-up/", GOOD)
    link_a = link_in(deliver_mail()[0])
    [user_a] = users_named(tenant_a, GOOD["email"])
    with schema_context(tenant_b.schema_name):
        User.objects.create_user(GOOD["email"], GOOD["password"], id=user_a.pk)

    # when: A's link is opened on B's host
    page = browser_for(tenant_b).get(link_a.path)

    # then
    assert link_a.netloc == "alpha.localhost"
    assert page.status_code == 400
    assert not users_named(tenant_b, GOOD["email"])[0].email_verified
    assert not users_named(tenant_a, GOOD["email"])[0].email_verified


def test_confirmation_page_asks_anonymous_visitors_to_sign_in(tenant_a, browser_for):
    # given
    browser = browser_for(tenant_a)

    # when
    page = browser.get("/accounts/verify-email/")

    # then
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/sign-in/?next=/accounts/verify-email/")
