"""The four old audit tables move into the one audit trail and back, in a tenant schema migrated
the way `portalwerk tenants migrate` does it."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from portalwerk.tenants.schemas import drop_schema, quote

SCHEMA = "t_audit_migration"
BEFORE = [
    ("audit", "0001_initial"),
    ("casework", "0001_initial"),
    ("appointments", "0003_rate_counters_move_to_ratelimits"),
    ("payments", "0001_initial"),
]
LONG_AGO = timezone.now() - dt.timedelta(days=100)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def scratch_schema(live_db):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {quote(SCHEMA)}")
    connection.set_schema(SCHEMA, include_public=False)
    MigrationRecorder(connection).ensure_schema()
    connection.set_schema(SCHEMA)
    yield
    drop_schema(SCHEMA)


def test_old_entries_move_without_personal_data_and_come_back(scratch_schema):
    # given a tenant schema with the old tables, and entries in each
    apps = _migrate(BEFORE)
    clerk = apps.get_model("accounts", "User").objects.create(
        email="clerk@old.example", role="clerk_processor", password="!"
    )
    casework = apps.get_model("casework", "AuditEntry").objects.create(
        actor=clerk,
        actor_label=clerk.email,
        action="assigned",
        reference="OLD-2025-000001",
        detail={"assignee": "clerk@old.example"},
    )
    apps.get_model("appointments", "AuditEntry").objects.create(
        actor="clerk@old.example",
        action="close_day",
        detail={"office": 7, "day": "2025-12-24", "note": "Frau Meier hat Geburtstag"},
    )
    apps.get_model("payments", "AuditEntry").objects.create(
        actor=clerk,
        actor_label=clerk.email,
        action="refunded",
        reference="PAY-1",
        detail={"amount_cents": 500, "reason": "Herr Müller zog zurück"},
    )
    apps.get_model("casework", "AuditEntry").objects.filter(pk=casework.pk).update(at=LONG_AGO)
    # when the schema is migrated to today
    apps = _migrate(None)
    # then each entry is in the one trail, naming the clerk by id and keeping no free text
    entries = {
        e.action: e for e in apps.get_model("audit", "Entry").objects.order_by("id").iterator()
    }
    assert set(entries) == {
        "submission.assigned",
        "appointment.day_closed",
        "payment.refunded",
    }
    assigned = entries["submission.assigned"]
    assert (assigned.actor_kind, assigned.actor_user_id) == ("clerk", clerk.pk)
    assert (assigned.object_type, assigned.object_id) == ("submission", "OLD-2025-000001")
    assert assigned.detail == {"assignee_id": clerk.pk} and assigned.at == LONG_AGO
    closed = entries["appointment.day_closed"]
    assert (closed.object_type, closed.object_id, closed.actor_user_id) == ("office", "7", clerk.pk)
    assert closed.detail == {"office": 7, "day": "2025-12-24"}
    assert entries["payment.refunded"].detail == {"amount_cents": 500}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = %s AND table_name LIKE '%%auditentry'",
            [SCHEMA],
        )
        assert cursor.fetchone()[0] == 0
    # and when migrated back, the old tables hold the entries again (without the free text)
    apps = _migrate(BEFORE)
    old = apps.get_model("casework", "AuditEntry").objects.get()
    assert (old.action, old.actor_id, old.actor_label, old.reference) == (
        "assigned",
        clerk.pk,
        clerk.email,
        "OLD-2025-000001",
    )
    assert old.at == LONG_AGO
    day = apps.get_model("appointments", "AuditEntry").objects.get()
    assert (day.action, day.actor, day.detail) == (
        "close_day",
        clerk.email,
        {"office": 7, "day": "2025-12-24"},
    )
    assert apps.get_model("payments", "AuditEntry").objects.get().reference == "PAY-1"
    assert not apps.get_model("audit", "Entry").objects.exists()
