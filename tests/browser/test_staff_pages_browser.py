"""The tenant admin's staff and module pages and the invitation page, in German and English,
checked with axe-core; an invitation accepted with the keyboard ends at the sign-in page."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.browser.test_remaining_pages_browser import (  # noqa: F401 (fixture)
    ADMIN,
    CLERK,
    DESKTOP,
    NARROW,
    Visitor,
    data,
)

pytestmark = pytest.mark.browser

INVITEE = "browser-staff-invitee@alpha.example"


@pytest.fixture
def invitee(data):  # noqa: F811
    from portalwerk.platform.accounts import tokens
    from portalwerk.platform.accounts.models import Role, User

    with schema_context(data.schema):
        user = User.objects.create_user(INVITEE, None, role=Role.CLERK_READER)
        clerk_id = User.objects.get(email=CLERK).pk
        token = tokens.make_token(user, tokens.Purpose.ACCEPT_INVITATION)
    yield token, clerk_id
    with schema_context(data.schema):
        User.objects.filter(email=INVITEE).delete()


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_staff_and_module_pages_have_no_axe_violations(
    live_url, invitee, new_page, assert_accessible, language
):
    token, clerk_id = invitee
    for viewport in (DESKTOP, NARROW):
        admin = Visitor(new_page, assert_accessible, language, viewport)
        admin.sign_in(live_url, ADMIN)
        admin.visit(f"{live_url}/backoffice/staff/")
        assert CLERK in admin.page.inner_text("main")
        # the invitation sent empty: the error summary
        with admin.page.expect_navigation():
            admin.page.locator("main form button[type=submit]").last.click()
        assert admin.page.locator(".error-summary").count() == 1
        admin.check()
        admin.visit(f"{live_url}/backoffice/staff/{clerk_id}/")
        admin.visit(f"{live_url}/backoffice/modules/")
        guest = Visitor(new_page, assert_accessible, language, viewport)
        guest.visit(f"{live_url}/accounts/invitation/{token}/")
        guest.visit(f"{live_url}/accounts/invitation/{token}x/", 400)


def test_an_invitation_is_accepted_with_the_keyboard(
    live_url, invitee, new_page, assert_accessible
):
    from portalwerk.platform.accounts.models import User

    token, _clerk = invitee
    guest = Visitor(new_page, assert_accessible, "en", DESKTOP)
    guest.visit(f"{live_url}/accounts/invitation/{token}/")
    page = guest.page
    page.keyboard.press("Tab")  # the skip link first
    page.focus("#id_password")
    page.keyboard.type("Sonnenblume-Gelb-8")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "/accounts/sign-in/" in page.url
    assert "Your password is set" in page.inner_text("main")
    with schema_context("t_alpha"):
        assert User.objects.get(email=INVITEE).check_password("Sonnenblume-Gelb-8")
