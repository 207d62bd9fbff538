"""Signing in: personas on their own host, staff need a confirmed address, the rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, SignInFailure, User


def signed_in(page) -> bool:
    return 'class="who"' in page.content.decode()


@pytest.mark.parametrize(
    "persona, host, home",
    [
        ("citizen", "alpha.localhost", "/"),
        ("clerk", "alpha.localhost", "/backoffice/"),
        ("tenant_admin", "alpha.localhost", "/backoffice/"),
        ("other_tenant_clerk", "beta.localhost", "/backoffice/"),
        ("operator", "localhost", "/admin/"),
    ],
)
def test_personas_sign_in_on_their_own_host(request, browser_for, persona, host, home):
    # given
    user = request.getfixturevalue(persona)
    browser = browser_for(host)

    # when
    response = browser.sign_in(user.email)
    page = browser.get(home)

    # then
    assert response.status_code == 302
    assert page.status_code == 200
    assert str(user) in page.content.decode()


def test_sign_in_page_is_accessible(tenant_a, browser_for):
    # given
    browser = browser_for(tenant_a)

    # when
    page = browser.get("/accounts/sign-in/")

    # then
    html = page.content.decode()
    assert html.count("<h1>") == 1
    assert '<label for="id_email">' in html and 'autocomplete="email"' in html
    assert '<label for="id_password">' in html and 'autocomplete="current-password"' in html
    assert 'href="/accounts/password-reset/"' in html and 'href="/accounts/sign-up/"' in html


def test_wrong_password_is_refused_with_a_message(tenant_a, citizen, browser_for):
    # given
    browser = browser_for(tenant_a)

    # when
    page = browser.sign_in(citizen.email, "not-the-password")

    # then
    assert page.status_code == 400
    assert "The email address or the password is not right." in page.content.decode()
    assert not signed_in(browser.get("/"))


def test_sign_in_with_missing_fields_is_refused_with_messages(tenant_a, browser_for):
    # given
    browser = browser_for(tenant_a)

    # when
    page = browser.post("/accounts/sign-in/", {})

    # then
    html = page.content.decode()
    assert page.status_code == 400
    assert '<a href="#id_email">Enter your email address.</a>' in html
    assert '<a href="#id_password">Enter your password.</a>' in html


def test_staff_with_an_unconfirmed_address_cannot_sign_in(tenant_a, browser_for):
    # given
    with schema_context(tenant_a.schema_name):
        clerk = User.objects.create_user(
            "new-clerk@alpha.example",
            "Lindenblatt-47",
            role=Role.CLERK_PROCESSOR,
            email_verified_at=None,
        )
    browser = browser_for(tenant_a)

    # when
    page = browser.sign_in(clerk.email, "Lindenblatt-47")

    # then
    assert page.status_code == 400
    assert "Your email address is not confirmed yet." in page.content.decode()
    assert browser.get("/backoffice/").status_code == 302


def test_next_parameter_leads_back_but_never_off_the_host(tenant_a, citizen, browser_for):
    # given
    inside, outside = browser_for(tenant_a), browser_for(tenant_a)

    # when
    back = inside.post(
        "/accounts/sign-in/?next=/accounts/verify-email/",
        {"email": citizen.email, "password": "Test-Passwort-2026!"},
    )
    away = outside.post(
        "/accounts/sign-in/",
        {"email": citizen.email, "password": "Test-Passwort-2026!", "next": "//evil.example/"},
    )

    # then
    assert back["Location"] == "/accounts/verify-email/"
    assert away["Location"] == "/"


def test_ten_failed_sign_ins_lock_the_address_for_this_ip(tenant_a, citizen, browser_for):
    # given: nine wrong passwords
    browser = browser_for(tenant_a)
    for _ in range(9):
        assert browser.sign_in(citizen.email, "wrong-guess").status_code == 400

    # when: the tenth wrong one, then the right one
    tenth = browser.sign_in(citizen.email, "wrong-guess")
    right = browser.sign_in(citizen.email)

    # then: both are refused with a clear message, and the right password does not help
    for page in (tenth, right):
        assert page.status_code == 429
        assert "Too many attempts to sign in. Please try again in 15 minutes." in (
            page.content.decode()
        )
        assert 890 <= int(page["Retry-After"]) <= 900
    assert not signed_in(browser.get("/"))


def test_lock_is_per_ip_and_per_address(tenant_a, citizen, browser_for):
    # given: the citizen's address is locked from one IP
    browser = browser_for(tenant_a)
    for _ in range(10):
        browser.sign_in(citizen.email, "wrong-guess")

    # when
    other_ip = browser_for(tenant_a).post(
        "/accounts/sign-in/",
        {"email": citizen.email, "password": "Test-Passwort-2026!"},
        REMOTE_ADDR="192.0.2.7",
    )
    other_address = browser.sign_in("someone-else@alpha.example", "wrong-guess")

    # then
    assert other_ip.status_code == 302
    assert other_address.status_code == 400


def test_lock_ends_when_the_failures_are_older_than_15_minutes(tenant_a, citizen, browser_for):
    # given: ten failures, then sixteen minutes pass
    browser = browser_for(tenant_a)
    for _ in range(10):
        browser.sign_in(citizen.email, "wrong-guess")
    with schema_context(tenant_a.schema_name):
        SignInFailure.objects.update(created_at=F("created_at") - timedelta(minutes=16))

    # when
    page = browser.sign_in(citizen.email)

    # then
    assert page.status_code == 302
    assert signed_in(browser.get("/"))


def test_lock_message_counts_down(tenant_a, citizen, browser_for):
    # given: ten failures, eleven minutes ago
    browser = browser_for(tenant_a)
    for _ in range(10):
        browser.sign_in(citizen.email, "wrong-guess")
    with schema_context(tenant_a.schema_name):
        SignInFailure.objects.update(created_at=F("created_at") - timedelta(minutes=11))

    # when
    page = browser.sign_in(citizen.email)

    # then
    assert page.status_code == 429
    assert "Please try again in 4 minutes." in page.content.decode()


def test_back_office_login_sends_people_to_the_one_sign_in_page(tenant_a, clerk, browser_for):
    # given: the clerk's address is locked through the portal's sign-in page
    browser = browser_for(tenant_a)
    for _ in range(10):
        browser.sign_in(clerk.email, "wrong-guess")

    # when: the right password is posted to the back office's own login page
    page = browser.post(
        "/backoffice/login/?next=/backoffice/",
        {"username": clerk.email, "password": "Test-Passwort-2026!"},
    )

    # then: that page signs nobody in; it leads to the rate-limited sign-in page
    assert page.status_code == 302
    assert page["Location"] == "/accounts/sign-in/?next=%2Fbackoffice%2F"
    assert browser.get("/backoffice/").status_code == 302


def test_failures_on_one_tenant_do_not_lock_another(tenant_a, tenant_b, browser_for):
    # given: the same address on two tenants, locked on A
    for tenant in (tenant_a, tenant_b):
        with schema_context(tenant.schema_name):
            User.objects.create_user("twice@example.org", "Lindenblatt-47")
    browser_a = browser_for(tenant_a)
    for _ in range(10):
        browser_a.sign_in("twice@example.org", "wrong-guess")

    # when
    page = browser_for(tenant_b).sign_in("twice@example.org", "Lindenblatt-47")

    # then: B signs the person in, while A still refuses even the right password
    assert page.status_code == 302
    assert browser_a.sign_in("twice@example.org", "Lindenblatt-47").status_code == 429
