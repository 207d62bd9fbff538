"""The tenant admin's staff pages in the back office, used as a tenant admin would."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from tests.conftest import PASSWORD


@pytest.fixture
def admin_browser(browser_for, tenant_a, tenant_admin):
    browser = browser_for(tenant_a)
    assert browser.sign_in(tenant_admin.email, PASSWORD).status_code == 302
    return browser


def test_tenant_admin_invites_from_the_staff_page(admin_browser, tenant_a, deliver_mail):
    # when
    page = admin_browser.get("/backoffice/staff/")
    sent = admin_browser.post(
        "/backoffice/staff/",
        {"email": "neu@alpha.example", "full_name": "Nina Neu", "role": "reader", "language": "de"},
        follow=True,
    )

    # then
    assert page.status_code == 200 and "Invite a staff member" in page.content.decode()
    assert sent.status_code == 200
    assert "Invited neu@alpha.example as reader." in sent.content.decode()
    assert "invited, not accepted yet" in sent.content.decode()
    [message] = deliver_mail()
    assert message.to == ["neu@alpha.example"]
    assert "Einladung" in message.subject  # the invitee's language, not the admin's


def test_the_staff_page_shows_input_problems_at_their_fields(admin_browser, clerk):
    page = admin_browser.post(
        "/backoffice/staff/", {"email": clerk.email, "role": "reader", "language": "en"}
    )

    assert page.status_code == 400
    body = page.content.decode()
    assert "There is a problem" in body and 'href="#id_email"' in body
    assert "exists already" in body


def test_tenant_admin_changes_role_and_deactivates_on_the_member_page(
    admin_browser, tenant_a, clerk
):
    member = f"/backoffice/staff/{clerk.pk}/"
    changed = admin_browser.post(member, {"role": "reader", "finance": "on"}, follow=True)
    closed = admin_browser.post(f"{member}deactivate/", follow=True)

    assert "is now reader with finance" in changed.content.decode()
    assert "is deactivated" in closed.content.decode()
    assert "Reactivate the account" in closed.content.decode()
    with schema_context(tenant_a.schema_name):
        user = User.objects.get(pk=clerk.pk)
    assert user.role == Role.CLERK_READER and not user.is_active


def test_the_last_admin_is_told_why_they_cannot_deactivate_themselves(admin_browser, tenant_admin):
    page = admin_browser.post(f"/backoffice/staff/{tenant_admin.pk}/deactivate/", follow=True)

    assert "last active tenant admin" in page.content.decode()


@pytest.mark.parametrize("who", ["clerk", "other_tenant_clerk", "citizen"])
def test_others_do_not_get_the_staff_pages(request, browser_for, tenant_a, tenant_admin, who):
    person = request.getfixturevalue(who)
    browser = browser_for(tenant_a)
    browser.sign_in(person.email, PASSWORD)

    listed = browser.get("/backoffice/staff/")
    posted = browser.post(f"/backoffice/staff/{tenant_admin.pk}/deactivate/")

    assert listed.status_code in {302, 404} and posted.status_code in {302, 404}
    with schema_context(tenant_a.schema_name):
        assert User.objects.get(pk=tenant_admin.pk).is_active


def test_the_back_office_index_links_staff_and_modules_for_tenant_admins(admin_browser):
    page = admin_browser.get("/backoffice/")

    assert 'href="/backoffice/staff/"' in page.content.decode()
    assert 'href="/backoffice/modules/"' in page.content.decode()


def test_a_member_page_for_nobody_is_not_found(admin_browser):
    assert admin_browser.get("/backoffice/staff/99999999999999999999999/").status_code == 404
    assert admin_browser.post("/backoffice/staff/123456789/deactivate/").status_code == 404
