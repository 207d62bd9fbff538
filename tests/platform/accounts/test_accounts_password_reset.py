"""Password reset: ask for a link, choose a new password, and old sessions end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.platform.accounts import tokens
from portalwerk.platform.accounts.models import User

NEW_PASSWORD = "Sonnenblume-Gelb-8"
FIXTURE_PASSWORD = "Test-Passwort-2026!"  # PASSWORD in tests/conftest.py


def reload(tenant, user: User) -> User:
    with schema_context(tenant.schema_name):
        return User.objects.get(pk=user.pk)


def signed_in(page) -> bool:
    return 'class="who"' in page.content.decode()


def test_reset_flow_sets_the_new_password_and_ends_old_sessions(
    tenant_a, citizen, browser_for, deliver_mail, link_in
):
    # given: the citizen is signed in on one device and forgot the password on another
    laptop = browser_for(tenant_a)
    assert laptop.sign_in(citizen.email).status_code == 302
    assert signed_in(laptop.get("/"))
    phone = browser_for(tenant_a)

    # when: the phone asks for a link and follows it
    asked = phone.post("/accounts/password-reset/", {"email": citizen.email})
    [message] = deliver_mail()
    link = link_in(message)
    form = phone.get(link.path)
    done = phone.post(link.path, {"password": NEW_PASSWORD})

    # then
    assert asked.status_code == 302 and asked["Location"] == "/accounts/password-reset/sent/"
    assert message.to == [citizen.email] and link.netloc == "alpha.localhost"
    assert form.status_code == 200 and 'autocomplete="new-password"' in form.content.decode()
    assert done.status_code == 302 and done["Location"] == "/accounts/sign-in/"
    assert reload(tenant_a, citizen).check_password(NEW_PASSWORD)
    # the laptop's session was made with the old password: it is signed out now
    assert not signed_in(laptop.get("/"))
    # the old password no longer works, the new one does
    assert browser_for(tenant_a).sign_in(citizen.email).status_code == 400
    assert browser_for(tenant_a).sign_in(citizen.email, NEW_PASSWORD).status_code == 302
    # and the owner is told the password changed
    [notice] = deliver_mail()
    assert notice.to == [citizen.email]


def test_reset_link_works_only_once(tenant_a, citizen, browser_for, deliver_mail, link_in):
    # given
    browser = browser_for(tenant_a)
    browser.post("/accounts/password-reset/", {"email": citizen.email})
    path = link_in(deliver_mail()[0]).path
    browser.post(path, {"password": NEW_PASSWORD})

    # when
    again = browser.post(path, {"password": "Noch-ein-Passwort-9"})

    # then
    assert again.status_code == 400
    assert "The link is not valid" in again.content.decode()
    assert reload(tenant_a, citizen).check_password(NEW_PASSWORD)


def test_unknown_address_gets_the_same_answer_and_no_mail(
    tenant_a, citizen, browser_for, mail_jobs
):
    # given
    browser = browser_for(tenant_a)

    # when
    known = browser.post("/accounts/password-reset/", {"email": citizen.email}, follow=True)
    jobs_after_known = len(mail_jobs())
    unknown = browser.post(
        "/accounts/password-reset/", {"email": "nobody@example.org"}, follow=True
    )

    # then
    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    strip = "csrfmiddlewaretoken"
    assert [line for line in known.content.decode().splitlines() if strip not in line] == [
        line for line in unknown.content.decode().splitlines() if strip not in line
    ]
    assert jobs_after_known == 1 and len(mail_jobs()) == 1


def test_address_of_another_tenant_gets_no_mail(tenant_b, citizen, browser_for, mail_jobs):
    # given: the citizen has an account on tenant A only

    # when
    page = browser_for(tenant_b).post("/accounts/password-reset/", {"email": citizen.email})

    # then
    assert page.status_code == 302
    assert mail_jobs() == []


def test_reset_request_without_a_valid_address_is_refused(tenant_a, browser_for, mail_jobs):
    # given
    browser = browser_for(tenant_a)

    # when
    missing = browser.post("/accounts/password-reset/", {})
    malformed = browser.post("/accounts/password-reset/", {"email": "not-an-address"})

    # then
    assert missing.status_code == malformed.status_code == 400
    assert "Enter your email address." in missing.content.decode()
    assert "Enter an email address in the right format" in malformed.content.decode()
    assert mail_jobs() == []


def test_expired_reset_link_shows_a_clear_page(tenant_a, citizen, browser_for):
    # given: a link issued three hours ago (links are valid for two)
    with schema_context(tenant_a.schema_name):
        token = tokens.make_token(
            citizen, tokens.Purpose.RESET_PASSWORD, now=timezone.now() - timedelta(hours=3)
        )
    browser = browser_for(tenant_a)

    # when
    shown = browser.get(f"/accounts/password-reset/{token}/")
    posted = browser.post(f"/accounts/password-reset/{token}/", {"password": NEW_PASSWORD})

    # then
    for page in (shown, posted):
        assert page.status_code == 400
        assert "The link has expired" in page.content.decode()
        assert 'href="/accounts/password-reset/"' in page.content.decode()
    assert not reload(tenant_a, citizen).check_password(NEW_PASSWORD)


def test_tampered_reset_link_shows_a_clear_page(
    tenant_a, citizen, browser_for, deliver_mail, link_in
):
    # given
    browser = browser_for(tenant_a)
    browser.post("/accounts/password-reset/", {"email": citizen.email})
    token = link_in(deliver_mail()[0]).path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-2] + ("zz" if not token.endswith("zz") else "yy")

    # when
    page = browser.post(f"/accounts/password-reset/{tampered}/", {"password": NEW_PASSWORD})

    # then
    assert page.status_code == 400
    assert "The link is not valid" in page.content.decode()
    assert not reload(tenant_a, citizen).check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "password, message",
    [("", "Enter a password."), ("kurz", "This password is too short.")],
)
def test_weak_new_password_is_refused(
    tenant_a, citizen, browser_for, deliver_mail, link_in, password, message
):
    # given
    browser = browser_for(tenant_a)
    browser.post("/accounts/password-reset/", {"email": citizen.email})
    path = link_in(deliver_mail()[0]).path

    # when
    page = browser.post(path, {"password": password})

    # then
    assert page.status_code == 400
    assert message in page.content.decode()
    assert '<a href="#id_password">' in page.content.decode()
    assert reload(tenant_a, citizen).check_password(FIXTURE_PASSWORD)


def test_operator_resets_the_password_on_the_base_host(
    platform_tenant, operator, browser_for, deliver_mail, link_in
):
    # given
    browser = browser_for("localhost")

    # when
    browser.post("/accounts/password-reset/", {"email": operator.email})
    [message] = deliver_mail()
    link = link_in(message)
    done = browser.post(link.path, {"password": NEW_PASSWORD})

    # then
    assert link.netloc == "localhost"
    assert done.status_code == 302
    assert reload(platform_tenant, operator).check_password(NEW_PASSWORD)
    assert browser.sign_in(operator.email, NEW_PASSWORD).status_code == 302
    assert browser.get("/admin/").status_code == 200
