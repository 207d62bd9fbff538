"""Staff accounts: a tenant admin invites, sets roles, deactivates and reactivates; the invitee
chooses a password through the mailed link; every change is in the audit log; the last active
tenant admin stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.platform.accounts import staff
from portalwerk.platform.accounts.errors import AccountErrorCode as Code
from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import from_user

NEW_PASSWORD = "Sonnenblume-Gelb-8"


def codes(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [e.code for errors in error.error_dict.values() for e in errors]
    return [e.code for e in error.error_list]


def actions(tenant) -> list[str]:
    with schema_context(tenant.schema_name):
        return list(
            Entry.objects.filter(action__startswith="staff.")
            .order_by("pk")
            .values_list("action", flat=True)
        )


def test_invited_staff_member_chooses_a_password_and_signs_in(
    tenant_a, tenant_admin, browser_for, deliver_mail, link_in
):
    # given: the tenant admin invites a processor
    with schema_context(tenant_a.schema_name):
        staff.invite_staff(
            actor=from_user(tenant_admin),
            email="New.Clerk@Alpha.example",
            role="processor",
            language="en",
        )
    [message] = deliver_mail()
    link = link_in(message)
    browser = browser_for(tenant_a)

    # when: the invitee opens the link and chooses a password
    form = browser.get(link.path)
    done = browser.post(link.path, {"password": NEW_PASSWORD})
    again = browser_for(tenant_a).get(link.path)
    signed_in = browser_for(tenant_a).sign_in("new.clerk@alpha.example", NEW_PASSWORD)

    # then
    assert message.to == ["new.clerk@alpha.example"] and link.netloc == "alpha.localhost"
    assert "processor" in message.body
    assert form.status_code == 200 and 'autocomplete="new-password"' in form.content.decode()
    assert done.status_code == 302
    assert again.status_code == 400  # the link works once
    assert signed_in.status_code == 302
    with schema_context(tenant_a.schema_name):
        user = User.objects.get(email="new.clerk@alpha.example")
        assert user.role == Role.CLERK_PROCESSOR and user.email_verified
    assert actions(tenant_a) == ["staff.invited", "staff.invitation_accepted"]


def test_an_expired_invitation_says_so_and_names_who_can_resend(
    tenant_a, tenant_admin, browser_for
):
    # given
    with schema_context(tenant_a.schema_name):
        user = staff.invite_staff(
            actor=from_user(tenant_admin), email="late@alpha.example", role="reader"
        )
        from portalwerk.platform.accounts import tokens

        token = tokens.make_token(
            user, tokens.Purpose.ACCEPT_INVITATION, now=timezone.now() - timedelta(days=8)
        )

    # when
    page = browser_for(tenant_a).get(f"/accounts/invitation/{token}/")

    # then
    assert page.status_code == 400
    assert (
        "expired" in page.content.decode() and "send the invitation again" in page.content.decode()
    )


def test_roles_change_what_staff_may_do_and_are_audited(tenant_a, tenant_admin, clerk):
    admin = from_user(tenant_admin)
    with schema_context(tenant_a.schema_name):
        # when: the processor becomes a reader with finance
        staff.change_role(actor=admin, member=clerk.email, role="reader", finance=True)
        changed = from_user(User.objects.get(pk=clerk.pk))
        member = staff.member_of(User.objects.get(pk=clerk.pk))
        entry = Entry.objects.get(action="staff.role_changed")
        may_process = capabilities.can_process_submissions(changed)
        may_export = capabilities.can_export_reconciliation(changed)

    # then
    assert member.role == "reader" and member.finance
    assert not may_process and may_export
    assert entry.object_id == str(clerk.pk) and entry.actor_user_id == tenant_admin.pk
    assert entry.detail == {
        "role_before": "processor",
        "role": "reader",
        "finance_before": False,
        "finance": True,
    }


def test_deactivated_staff_cannot_sign_in_until_reactivated(
    tenant_a, tenant_admin, clerk, browser_for
):
    admin = from_user(tenant_admin)
    working = browser_for(tenant_a)
    assert working.sign_in(clerk.email).status_code == 302
    assert working.get("/backoffice/inbox/").status_code == 200
    with schema_context(tenant_a.schema_name):
        staff.deactivate_staff(actor=admin, member=clerk.email)
    refused = browser_for(tenant_a).sign_in(clerk.email)
    # the session the clerk had open ends as well
    assert working.get("/backoffice/inbox/").status_code == 302
    with schema_context(tenant_a.schema_name):
        staff.reactivate_staff(actor=admin, member=clerk.email)
    allowed = browser_for(tenant_a).sign_in(clerk.email)

    assert refused.status_code == 400 and allowed.status_code == 302
    assert actions(tenant_a) == ["staff.deactivated", "staff.reactivated"]


def test_the_last_active_tenant_admin_cannot_be_demoted_or_deactivated(tenant_a, tenant_admin):
    admin = from_user(tenant_admin)
    with schema_context(tenant_a.schema_name):
        with pytest.raises(ValidationError) as demoted:
            staff.change_role(actor=admin, member=tenant_admin.email, role="processor")
        with pytest.raises(ValidationError) as deactivated:
            staff.deactivate_staff(actor=admin, member=tenant_admin.email)
        user = User.objects.get(pk=tenant_admin.pk)

    assert codes(demoted.value) == codes(deactivated.value) == [Code.LAST_ADMIN]
    assert "last active tenant admin" in demoted.value.messages[0]
    assert user.role == Role.TENANT_ADMIN and user.is_active
    assert actions(tenant_a) == []


def test_a_second_admin_makes_demoting_the_first_possible(tenant_a, tenant_admin):
    admin = from_user(tenant_admin)
    with schema_context(tenant_a.schema_name):
        other = staff.invite_staff(actor=admin, email="second@alpha.example", role="tenant_admin")
        staff.change_role(actor=admin, member=tenant_admin.email, role="processor")
        assert User.objects.get(pk=tenant_admin.pk).role == Role.CLERK_PROCESSOR
        # and now the invited one is the last admin
        with pytest.raises(ValidationError):
            staff.deactivate_staff(actor=from_user(other), member=other.pk)


@pytest.mark.parametrize("who", ["clerk", "citizen", "other_tenant_clerk", "anonymous"])
def test_only_those_who_manage_staff_may_invite(request, tenant_a, who):
    # given
    from portalwerk.platform.authz.actors import anonymous

    actor = anonymous() if who == "anonymous" else from_user(request.getfixturevalue(who))
    with schema_context(tenant_a.schema_name):
        # when
        with pytest.raises(ValidationError) as refused:
            staff.invite_staff(actor=actor, email="x@alpha.example", role="tenant_admin")
        # then
        assert codes(refused.value) == [capabilities.PERMISSION_DENIED]
        assert not User.objects.filter(email="x@alpha.example").exists()


def test_invitation_input_problems_are_codes(tenant_a, tenant_admin, clerk):
    admin = from_user(tenant_admin)
    with schema_context(tenant_a.schema_name):
        for kwargs, code in [
            ({"email": "kein-at", "role": "reader"}, Code.INVALID_EMAIL),
            ({"email": "ok@alpha.example", "role": "boss"}, Code.INVALID_ROLE),
            ({"email": clerk.email, "role": "reader"}, Code.DUPLICATE_EMAIL),
        ]:
            with pytest.raises(ValidationError) as raised:
                staff.invite_staff(actor=admin, **kwargs)
            assert codes(raised.value) == [code]
        with pytest.raises(ValidationError) as missing:
            staff.change_role(actor=admin, member="nobody@alpha.example", role="reader")
        assert codes(missing.value) == [Code.STAFF_NOT_FOUND]


def test_resending_works_only_for_pending_invitations(tenant_a, tenant_admin, clerk, deliver_mail):
    admin = from_user(tenant_admin)
    with schema_context(tenant_a.schema_name):
        staff.invite_staff(actor=admin, email="pending@alpha.example", role="reader")
        staff.resend_invitation(actor=admin, member="pending@alpha.example")
        with pytest.raises(ValidationError) as accepted:
            staff.resend_invitation(actor=admin, member=clerk.email)
    mails = deliver_mail()

    assert [m.to for m in mails] == [["pending@alpha.example"]] * 2
    assert codes(accepted.value) == [Code.INVITATION_ACCEPTED]


def test_a_deactivated_invitee_s_link_stops_working(
    tenant_a, tenant_admin, browser_for, deliver_mail, link_in
):
    admin = from_user(tenant_admin)
    with schema_context(tenant_a.schema_name):
        staff.invite_staff(actor=admin, email="gone@alpha.example", role="reader")
        staff.deactivate_staff(actor=admin, member="gone@alpha.example")
    [message] = deliver_mail()

    page = browser_for(tenant_a).get(link_in(message).path)

    assert page.status_code == 400


def test_staff_list_shows_roles_finance_and_pending_invitations(
    tenant_a, tenant_admin, clerk, citizen
):
    admin = from_user(tenant_admin)
    with schema_context(tenant_a.schema_name):
        staff.invite_staff(actor=admin, email="fin@alpha.example", role="reader", finance=True)
        members = {m.email: m for m in staff.list_staff(actor=admin)}

    assert set(members) == {tenant_admin.email, clerk.email, "fin@alpha.example"}
    assert members["fin@alpha.example"].finance and members["fin@alpha.example"].invitation_pending
    assert members[clerk.email].role == "processor" and not members[clerk.email].invitation_pending


def test_an_identity_provider_listed_first_takes_over_the_invitation(
    settings, tenant_a, tenant_admin, mail_jobs
):
    # given an installation whose first identity provider invites staff itself (Keycloak later)
    from tests.platform.accounts.selfmailing.provider import INVITED

    settings.PORTALWERK_PLUGINS = {
        **settings.PORTALWERK_PLUGINS,
        "identity": [
            "tests.platform.accounts.selfmailing",
            "portalwerk.platform.accounts.identity.contrib.local",
        ],
    }
    INVITED.clear()
    with schema_context(tenant_a.schema_name):
        # when
        user = staff.invite_staff(
            actor=from_user(tenant_admin), email="sso@alpha.example", role="reader"
        )
    # then the account is that provider's, it got the invitation, and we mailed nothing
    assert user.identity_provider == "selfmailing"
    assert [i.email for i in INVITED] == ["sso@alpha.example"]
    assert "/accounts/invitation/" in INVITED[0].accept_url
    assert mail_jobs() == []


def test_the_staff_list_costs_the_same_queries_for_one_or_many(
    tenant_a, tenant_admin, django_assert_num_queries
):
    admin = from_user(tenant_admin)
    with schema_context(tenant_a.schema_name):
        # the finance holders and the accounts, each after django-tenants sets its search path
        with django_assert_num_queries(4):
            one = staff.list_staff(actor=admin)
        for n in range(20):
            User.objects.create_user(f"s{n}@alpha.example", None, role=Role.CLERK_READER)
        with django_assert_num_queries(4):
            many = staff.list_staff(actor=admin)

    assert len(one) == 1 and len(many) == 21
