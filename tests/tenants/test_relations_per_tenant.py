"""Every tenant schema repeats every relation of the template, so each relation costs catalogue
rows (and server-process memory) times the number of tenants. No index of a tenant table may
be made redundant by another that leads with the same columns, except in the tables Django
makes for many-to-many fields (its index on the first column and its unique pair), which no
model option removes."""

from __future__ import annotations

from django.db import connection

from portalwerk.tenants import schemas

# Django's automatic many-to-many tables (and auth's own): both indexes come with the field.
AUTOMATIC = {
    "accounts_user_groups",
    "accounts_user_user_permissions",
    "auth_group_permissions",
    "auth_permission",
    "catalog_service_categories",
    "appointments_counter_services",
    "casework_message_attachments",
    "handover_target_forms",
}
# forms_submission.submitted_at is the forms app's own index; the one leading with it,
# (submitted_at, id), belongs to the clerks' inbox (casework) and may change with it.
ACROSS_APPS = {"forms_submission_submitted_at_715bc791"}


def _indexes(schema: str) -> list[tuple[str, str, list[str], list[str], bool, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.relname, c.relname, i.indkey::text, i.indclass::text, i.indisunique, "
            "       am.amname, i.indpred IS NOT NULL OR i.indexprs IS NOT NULL "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_am am ON am.oid = c.relam "
            "WHERE c.relnamespace = %s::regnamespace",
            [schema],
        )
        return [
            (table, name, keys.split(), classes.split(), unique, am)
            for table, name, keys, classes, unique, am, partial in cursor.fetchall()
            if not partial
        ]


def redundant_indexes(schema: str) -> list[str]:
    """Plain b-tree indexes whose columns (and operator classes) lead another b-tree index."""
    found = []
    indexes = _indexes(schema)
    for table, name, keys, classes, unique, am in indexes:
        if unique or am != "btree":
            continue
        for other_table, other, other_keys, other_classes, other_unique, other_am in indexes:
            if other == name or other_table != table or other_am != "btree":
                continue
            leads = other_keys[: len(keys)] == keys and other_classes[: len(keys)] == classes
            if leads and (len(other_keys) > len(keys) or other_unique):
                found.append(f"{table}.{name} (led by {other})")
                break
    return sorted(found)


def test_no_tenant_index_is_led_by_another(db):
    found = redundant_indexes(schemas.TEMPLATE_SCHEMA)
    assert [
        entry
        for entry in found
        if entry.split(".")[0] not in AUTOMATIC
        and entry.split(".")[1].split()[0] not in ACROSS_APPS
    ] == []
