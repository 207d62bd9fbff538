"""Sign-in limits beyond one address from one IP: password spraying (many addresses from one IP)
and guesses spread over many IPs at one account. Both refuse with a clear message for a while and
end by themselves; a stranger at one IP cannot lock an account for its owner."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, SignInFailure
from tests.conftest import PASSWORD, make_user

LIMITED = "Too many attempts to sign in. Please try again in 15 minutes."


def sign_in(browser, email: str, password: str, ip: str):
    return browser.post(
        "/accounts/sign-in/", {"email": email, "password": password}, REMOTE_ADDR=ip
    )


def test_password_spraying_from_one_ip_is_stopped_after_twenty_failures(tenant_a, browser_for):
    # given 25 accounts, and an attacker at one IP trying one common password at each
    users = [make_user(tenant_a, f"person{n}@alpha.example", Role.CITIZEN) for n in range(25)]
    browser = browser_for(tenant_a)
    answers = [sign_in(browser, user.email, "Sommer2026!", "203.0.113.9") for user in users]
    # then the first twenty are told the password is wrong, the rest that they must wait
    assert [answer.status_code for answer in answers[:20]] == [400] * 19 + [429]
    assert all(answer.status_code == 429 for answer in answers[20:])
    assert LIMITED in answers[-1].content.decode()
    assert 890 <= int(answers[-1]["Retry-After"]) <= 900
    # and even a right password from that IP does not get in while the limit holds
    assert sign_in(browser, users[24].email, PASSWORD, "203.0.113.9").status_code == 429
    # while the same accounts' owners elsewhere sign in as usual
    owner = sign_in(browser_for(tenant_a), users[24].email, PASSWORD, "198.51.100.24")
    assert owner.status_code == 302


def test_guesses_at_one_account_from_twelve_ips_lock_it_for_every_ip_for_a_while(
    tenant_a, citizen, browser_for
):
    # given twelve wrong guesses at the citizen's account, each from another IP
    answers = [
        sign_in(browser_for(tenant_a), citizen.email, "wrong-guess", f"203.0.113.{n}")
        for n in range(1, 13)
    ]
    assert [a.status_code for a in answers] == [400] * 9 + [429] * 3
    # when the right password arrives from yet another IP
    right = sign_in(browser_for(tenant_a), citizen.email, PASSWORD, "198.51.100.1")
    # then it is refused with the waiting time: no success without the delay
    assert right.status_code == 429
    assert LIMITED in right.content.decode()
    # and when the guesses are older than the window, the owner gets in again
    with schema_context(tenant_a.schema_name):
        SignInFailure.objects.update(created_at=F("created_at") - timedelta(minutes=16))
    assert (
        sign_in(browser_for(tenant_a), citizen.email, PASSWORD, "198.51.100.1").status_code == 302
    )


def test_a_stranger_at_one_ip_and_an_owners_typo_do_not_lock_the_owner_out(
    tenant_a, citizen, browser_for
):
    # given a stranger who used up the allowance for the citizen's address from their IP
    for _ in range(10):
        sign_in(browser_for(tenant_a), citizen.email, "wrong-guess", "203.0.113.50")
    # when the owner mistypes once at home, then types the right password
    typo = sign_in(browser_for(tenant_a), citizen.email, "wrong-typo", "198.51.100.7")
    right = sign_in(browser_for(tenant_a), citizen.email, PASSWORD, "198.51.100.7")
    # then the owner is signed in; only the stranger's IP stays refused
    assert typo.status_code == 400
    assert right.status_code == 302
    assert (
        sign_in(browser_for(tenant_a), citizen.email, PASSWORD, "203.0.113.50").status_code == 429
    )


def test_the_account_limit_speaks_german_to_german_visitors(tenant_a, citizen, client_for):
    for n in range(1, 11):
        sign_in(client_for(tenant_a), citizen.email, "wrong-guess", f"203.0.113.{n}")
    page = sign_in(client_for(tenant_a), citizen.email, PASSWORD, "198.51.100.1")
    assert page.status_code == 429
    assert "Bitte versuchen Sie es in 15 Minuten" in page.content.decode()
