"""Two tenant admins demoting each other at the same moment, over two real connections: one
wins, the other is refused, and the tenant keeps a tenant admin."""

from __future__ import annotations

import threading

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django_tenants.utils import schema_context

from portalwerk.platform.accounts import staff
from portalwerk.platform.accounts.errors import AccountErrorCode as Code
from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import from_user
from portalwerk.tenants.models import Tenant
from tests.conftest import PASSWORD


def test_two_admins_demoting_each_other_at_once_leave_one_admin(live_db):
    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        first = User.objects.create_user("race-1@alpha.example", PASSWORD, role=Role.TENANT_ADMIN)
        second = User.objects.create_user("race-2@alpha.example", PASSWORD, role=Role.TENANT_ADMIN)
    # Each transaction holds on (at the barrier) after its change: without a lock both would
    # read two admins, demote, and commit, leaving none.
    barrier = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def demote(actor_user: User, target: User) -> None:
        try:
            with schema_context(tenant.schema_name), transaction.atomic():
                staff.change_role(actor=from_user(actor_user), member=target.pk, role="reader")
                try:
                    barrier.wait(timeout=3)
                except threading.BrokenBarrierError:
                    pass  # the other one is waiting for our lock
            outcome[actor_user.email] = "demoted"
        except ValidationError as exc:
            outcome[actor_user.email] = exc.error_dict["__all__"][0].code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=(first, second)),
        threading.Thread(target=demote, args=(second, first)),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        with schema_context(tenant.schema_name):
            admins = list(
                User.objects.filter(
                    pk__in=[first.pk, second.pk], role=Role.TENANT_ADMIN, is_active=True
                )
            )
        assert sorted(outcome.values()) == sorted(["demoted", Code.LAST_ADMIN])
        assert len(admins) == 1
    finally:
        with schema_context(tenant.schema_name):
            ids = [str(first.pk), str(second.pk)]
            Entry.objects.filter(object_type="user", object_id__in=ids).delete()
            User.objects.filter(pk__in=[first.pk, second.pk]).delete()
