"""Sessions and accounts stay on the host they belong to."""

from __future__ import annotations

from django.conf import settings


def signed_in(page) -> bool:
    return 'class="who"' in page.content.decode()


def session_of(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_session_made_on_tenant_a_is_not_accepted_on_tenant_b(
    tenant_a, tenant_b, clerk, browser_for
):
    # given: a clerk signed in on A, and a browser on B carrying A's session cookie
    on_a = browser_for(tenant_a)
    assert on_a.sign_in(clerk.email).status_code == 302
    on_b = browser_for(tenant_b)
    on_b.cookies[settings.SESSION_COOKIE_NAME] = session_of(on_a)

    # when
    home = on_b.get("/")
    backoffice = on_b.get("/backoffice/")

    # then: B treats the cookie as nobody; A still knows it
    assert home.status_code == 200 and not signed_in(home)
    assert backoffice.status_code == 302
    assert backoffice["Location"].startswith("/backoffice/login/")
    assert signed_in(on_a.get("/"))


def test_operator_session_does_not_open_a_tenant_back_office(tenant_a, operator, browser_for):
    # given: an operator signed in on the base host, its cookie carried to a tenant host
    platform = browser_for("localhost")
    assert platform.sign_in(operator.email).status_code == 302
    assert platform.get("/admin/").status_code == 200
    on_a = browser_for(tenant_a)
    on_a.cookies[settings.SESSION_COOKIE_NAME] = session_of(platform)

    # when
    backoffice = on_a.get("/backoffice/")
    home = on_a.get("/")

    # then
    assert backoffice.status_code == 302
    assert backoffice["Location"].startswith("/backoffice/login/")
    assert not signed_in(home)


def test_operator_credentials_do_not_work_on_a_tenant_host(tenant_a, operator, browser_for):
    # given
    on_a = browser_for(tenant_a)

    # when
    page = on_a.sign_in(operator.email)

    # then
    assert page.status_code == 400
    assert on_a.get("/backoffice/").status_code == 302


def test_clerk_of_tenant_b_cannot_open_tenant_a_back_office(
    tenant_a, tenant_b, other_tenant_clerk, browser_for
):
    # given: B's clerk, signed in on B
    on_b = browser_for(tenant_b)
    assert on_b.sign_in(other_tenant_clerk.email).status_code == 302
    assert on_b.get("/backoffice/").status_code == 200

    # when: with B's session on A, and with B's credentials on A's sign-in page
    with_cookie = browser_for(tenant_a)
    with_cookie.cookies[settings.SESSION_COOKIE_NAME] = session_of(on_b)
    cookie_attempt = with_cookie.get("/backoffice/")
    with_password = browser_for(tenant_a)
    password_attempt = with_password.sign_in(other_tenant_clerk.email)

    # then
    assert cookie_attempt.status_code == 302
    assert password_attempt.status_code == 400
    assert with_password.get("/backoffice/").status_code == 302


def test_tenant_clerk_session_does_not_open_the_operator_console(tenant_a, clerk, browser_for):
    # given
    on_a = browser_for(tenant_a)
    on_a.sign_in(clerk.email)
    platform = browser_for("localhost")
    platform.cookies[settings.SESSION_COOKIE_NAME] = session_of(on_a)

    # when
    console = platform.get("/admin/")

    # then
    assert console.status_code == 302
    assert console["Location"].startswith("/admin/login/")


def test_citizen_cannot_open_the_back_office_of_their_own_tenant(tenant_a, citizen, browser_for):
    # given
    on_a = browser_for(tenant_a)
    on_a.sign_in(citizen.email)

    # when
    backoffice = on_a.get("/backoffice/")

    # then
    assert backoffice.status_code == 302
    assert signed_in(on_a.get("/"))
