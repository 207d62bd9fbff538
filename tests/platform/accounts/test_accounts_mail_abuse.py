"""Sign-up cannot be used to fill someone's inbox: an address with an account gets the "you
already have an account" mail once a day however often it is signed up with, and past the mail
allowance of an address sign-up says so, the same way whether the address has an account."""

from __future__ import annotations

from portalwerk.platform.mail import limits as mail_limits

NEW = {"full_name": "Erika Mustermann", "password": "Lindenblatt-47"}


def test_signing_up_with_an_existing_address_mails_its_owner_once_a_day(
    tenant_a, citizen, browser_for, deliver_mail
):
    # given someone signing up five times with an address that has an account, from many IPs
    browser = browser_for(tenant_a)
    answers = [
        browser.post(
            "/accounts/sign-up/", {**NEW, "email": citizen.email}, REMOTE_ADDR=f"10.1.0.{n}"
        )
        for n in range(5)
    ]
    # then each answer is the one a new address gets, and the owner has one mail
    assert {a.status_code for a in answers} == {302}
    assert {a["Location"] for a in answers} == {"/accounts/sign-up/done/"}
    mails = deliver_mail()
    assert [m.to for m in mails] == [[citizen.email]]
    assert mails[0].subject == "Sie haben bereits ein Konto – Stadt Alpha"  # the account's language


def test_past_the_mail_allowance_sign_up_says_so_alike_for_known_and_unknown_addresses(
    tenant_a, citizen, browser_for, deliver_mail
):
    allowance = mail_limits.allowance("per_recipient_per_hour")
    answers = {}
    for email in (citizen.email, "nobody-here@example.org"):
        browser = browser_for(tenant_a)
        for n in range(allowance):
            browser.post("/accounts/sign-up/", {**NEW, "email": email}, REMOTE_ADDR=f"10.2.{n}.1")
        # when once more, from yet another address
        answers[email] = browser.post(
            "/accounts/sign-up/", {**NEW, "email": email}, REMOTE_ADDR="10.3.0.1"
        )
    known, unknown = answers[citizen.email], answers["nobody-here@example.org"]
    # then both are refused with the same status and message: nothing tells them apart
    assert known.status_code == unknown.status_code == 429
    assert int(known["Retry-After"]) > 0
    message = "We have sent a lot of emails to this address"
    assert message in known.content.decode() and message in unknown.content.decode()
    # and the owner of the known address got one mail in all; the other address its
    # confirmation link and one "already have an account" (its account was made by the first)
    mails = sorted(m.to[0] for m in deliver_mail())
    assert mails == [citizen.email, "nobody-here@example.org", "nobody-here@example.org"]


def test_links_in_account_mails_are_on_the_primary_domain_whatever_the_host(
    tenant_a, citizen, browser_for, deliver_mail, link_in
):
    from portalwerk.tenants.models import Domain
    from tests.conftest import host_of

    # given the tenant reachable under a second domain, and requests through it and an odd port
    Domain.objects.create(domain="konto.alpha.example", tenant=tenant_a, is_primary=False)
    for host in ("konto.alpha.example", f"{host_of(tenant_a)}:6666"):
        browser_for(host).post("/accounts/password-reset/", {"email": citizen.email})
        browser_for(host).post(
            "/accounts/sign-up/", {**NEW, "email": f"new-{host.split('.')[0][:5]}@example.org"}
        )
    # then every link mailed (reset, confirmation) is on the primary domain
    mails = deliver_mail()
    assert len(mails) == 4
    assert {link_in(message).netloc for message in mails} == {host_of(tenant_a)}
