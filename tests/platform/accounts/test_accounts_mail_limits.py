"""Requests that make us mail someone (password reset, a new confirmation link) are limited per
address and per client IP, so that nobody can fill a stranger's inbox."""

from __future__ import annotations

from portalwerk.platform.accounts import services

GOOD = {"full_name": "Erika Mustermann", "email": "erika@example.org", "password": "Lindenblatt-47"}


def test_password_reset_mails_are_limited_per_address_with_the_same_answer(
    tenant_a, citizen, browser_for, mail_jobs
):
    # given: the allowance of one address used up, from several IPs
    limit = services.MAIL_REQUESTS_PER_EMAIL
    for n in range(limit):
        browser_for(tenant_a).post(
            "/accounts/password-reset/", {"email": citizen.email}, REMOTE_ADDR=f"10.0.0.{n}"
        )
    assert len(mail_jobs()) == limit

    # when: one more request, from yet another IP and spelt differently
    browser = browser_for(tenant_a)
    limited = browser.post(
        "/accounts/password-reset/", {"email": citizen.email.upper()}, REMOTE_ADDR="10.0.1.1"
    )
    other = browser.post("/accounts/password-reset/", {"email": "nobody@example.org"})

    # then: the answer is the usual one, but nothing more is mailed
    assert limited.status_code == other.status_code == 302
    assert limited["Location"] == other["Location"] == "/accounts/password-reset/sent/"
    assert len(mail_jobs()) == limit


def test_password_reset_requests_are_limited_per_ip(tenant_a, citizen, browser_for, mail_jobs):
    # given: one client asking for many addresses up to its limit
    browser = browser_for(tenant_a)
    for n in range(services.MAIL_REQUESTS_PER_IP):
        browser.post("/accounts/password-reset/", {"email": f"victim{n}@example.org"})

    # when
    page = browser.post("/accounts/password-reset/", {"email": citizen.email})

    # then: same answer, no mail; from another IP the address is served
    assert page.status_code == 302 and mail_jobs() == []
    browser.post("/accounts/password-reset/", {"email": citizen.email}, REMOTE_ADDR="10.7.7.7")
    assert len(mail_jobs()) == 1


def test_new_confirmation_links_are_limited_with_a_clear_answer(
    tenant_a, browser_for, deliver_mail
):
    # given: an unverified account, signed in
    browser = browser_for(tenant_a)
    browser.post("/accounts/sign-up/", GOOD)
    deliver_mail()
    browser.sign_in(GOOD["email"], GOOD["password"])
    for _ in range(services.MAIL_REQUESTS_PER_EMAIL):
        assert browser.post("/accounts/verify-email/").status_code == 302
    assert len(deliver_mail()) == services.MAIL_REQUESTS_PER_EMAIL

    # when
    page = browser.post("/accounts/verify-email/")

    # then: said openly (the user is signed in: nothing is revealed), nothing mailed
    assert page.status_code == 429
    assert int(page["Retry-After"]) > 0
    assert "Too many requests" in page.content.decode()
    assert deliver_mail() == []
