"""Cloning the template: a new tenant's schema is the template's twin (compared in pg_catalog:
tables, columns, indexes, constraints, sequences), carries its rows and sequence positions, and owns
its sequences, so a tenant's inserts never move the template's or another tenant's counters."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django_tenants.utils import schema_context

from portalwerk.tenants import schemas

TEMPLATE = schemas.TEMPLATE_SCHEMA
DATA_TABLES = ["django_migrations", "django_content_type", "auth_permission"]


def rows(sql: str, params=None) -> list[tuple]:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def catalog(schema: str) -> dict[str, list[tuple]]:
    """Everything pg_catalog says about a schema's objects, with the schema's name replaced by
    `S` so that two schemas compare equal when they are twins."""
    params = {"schema": schema}
    described = {
        "relations": rows(
            """SELECT c.relname, c.relkind, c.relpersistence, c.reloptions,
                      obj_description(c.oid, 'pg_class')
               FROM pg_class c WHERE c.relnamespace = %(schema)s::regnamespace ORDER BY 1""",
            params,
        ),
        "columns": rows(
            """SELECT c.relname, row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum),
                      a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                      a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid),
                      col_description(c.oid, a.attnum)
               FROM pg_class c
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
               LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
               WHERE c.relnamespace = %(schema)s::regnamespace AND c.relkind IN ('r', 'v')
               ORDER BY 1, 2""",
            params,
        ),
        "indexes": rows(
            "SELECT indexname, tablename, indexdef FROM pg_indexes "
            "WHERE schemaname = %(schema)s ORDER BY 1",
            params,
        ),
        "constraints": rows(
            """SELECT r.relname, k.conname, k.contype, pg_get_constraintdef(k.oid),
                      k.condeferrable, k.condeferred, k.convalidated, i.relname
               FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid
               LEFT JOIN pg_class i ON i.oid = k.conindid
               WHERE k.connamespace = %(schema)s::regnamespace ORDER BY 1, 2""",
            params,
        ),
        "sequences": rows(
            """SELECT s.relname, format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement,
                      q.seqmin, q.seqmax, q.seqcache, q.seqcycle, t.relname, a.attname, d.deptype
               FROM pg_class s JOIN pg_sequence q ON q.seqrelid = s.oid
               LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
                                    AND d.refclassid = 'pg_class'::regclass
               LEFT JOIN pg_class t ON t.oid = d.refobjid
               LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
               WHERE s.relnamespace = %(schema)s::regnamespace ORDER BY 1""",
            params,
        ),
        "triggers": rows(
            """SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
               FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
               WHERE c.relnamespace = %(schema)s::regnamespace AND NOT t.tgisinternal
               ORDER BY 1, 2""",
            params,
        ),
        "views": rows(
            "SELECT viewname, definition FROM pg_views WHERE schemaname = %(schema)s ORDER BY 1",
            params,
        ),
    }
    prefix = f"{schema}."
    return {
        kind: [
            tuple(v.replace(prefix, "S.") if isinstance(v, str) else v for v in row)
            for row in found
        ]
        for kind, found in described.items()
    }


def sequence_positions(schema: str) -> dict[str, tuple]:
    positions = {}
    for (name,) in rows(
        "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'S'",
        [schema],
    ):
        positions[name] = rows(f'SELECT last_value, is_called FROM "{schema}"."{name}"')[0]
    return positions


def table_rows(schema: str, table: str) -> list[tuple]:
    return rows(f'SELECT * FROM "{schema}"."{table}" ORDER BY 1')


def test_a_tenant_cloned_at_setup_is_the_templates_twin(tenant_a):
    # given the template and tenant alpha, cloned from it when the test run started
    # then pg_catalog describes the same tables, columns, indexes, constraints and sequences
    template = catalog(TEMPLATE)
    assert template["relations"] and template["indexes"] and template["sequences"]
    assert catalog(tenant_a.schema_name) == template


def test_a_fresh_clone_has_the_templates_structure_rows_and_sequence_positions(db):
    # when the template is cloned
    schemas.clone_schema(TEMPLATE, "t_clone_probe")
    # then the clone is the template's twin, down to the rows that record its migrations,
    # content types and permissions, and the positions of its sequences
    assert catalog("t_clone_probe") == catalog(TEMPLATE)
    for table in DATA_TABLES:
        assert table_rows("t_clone_probe", table) == table_rows(TEMPLATE, table), table
    assert sequence_positions("t_clone_probe") == sequence_positions(TEMPLATE)
    assert rows("SELECT count(*) FROM t_clone_probe.django_migrations")[0][0] > 0


def test_inserts_into_a_clone_use_its_own_sequences(db):
    # given a fresh clone and the template's counters
    schemas.clone_schema(TEMPLATE, "t_clone_probe")
    template_before = sequence_positions(TEMPLATE)
    highest = rows(f"SELECT max(id) FROM {TEMPLATE}.django_content_type")[0][0]
    # when a content type is added in the clone (as Django does for a new model)
    with schema_context("t_clone_probe"):
        added = ContentType.objects.create(app_label="probe", model="thing")
        again = ContentType.objects.create(app_label="probe", model="other")
    # then it gets the next number after the template's rows, without a clash
    assert added.id == highest + 1
    assert again.id == highest + 2
    # and the template's counters have not moved
    assert sequence_positions(TEMPLATE) == template_before
    # and the template still hands out that same number itself: the sequences are not shared
    with schema_context(TEMPLATE):
        own = ContentType.objects.create(app_label="probe", model="thing")
    assert own.id == highest + 1


def test_cloning_onto_an_existing_schema_is_refused_and_changes_nothing(db, tenant_b):
    before = catalog(tenant_b.schema_name)
    with pytest.raises(ValidationError):
        schemas.clone_schema(TEMPLATE, tenant_b.schema_name.upper())
    assert catalog(tenant_b.schema_name) == before


RICH_SOURCE = """
CREATE SCHEMA clone_src;
CREATE TABLE clone_src.parent (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5) PRIMARY KEY,
    code varchar(20) NOT NULL CONSTRAINT parent_code_upper CHECK (code = upper(code)),
    label text DEFAULT 'none',
    doubled integer GENERATED ALWAYS AS (length(code) * 2) STORED,
    tenant_id bigint REFERENCES public.tenants_tenant (id) DEFERRABLE INITIALLY DEFERRED,
    gone integer
) WITH (fillfactor = 80);
ALTER TABLE clone_src.parent DROP COLUMN gone;
COMMENT ON TABLE clone_src.parent IS 'parents';
COMMENT ON COLUMN clone_src.parent.code IS 'upper case';
CREATE TABLE clone_src.child (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    parent_id bigint NOT NULL CONSTRAINT child_parent_fk
        REFERENCES clone_src.parent (id) ON DELETE CASCADE,
    slot integer NOT NULL,
    note text,
    CONSTRAINT child_parent_slot_uniq UNIQUE (parent_id, slot)
);
CREATE INDEX child_note_lower ON clone_src.child (lower(note));
CREATE UNIQUE INDEX child_one_open ON clone_src.child (parent_id) WHERE note IS NULL;
CREATE TABLE clone_src.old_booking (
    id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    during int4range NOT NULL,
    CONSTRAINT booking_no_overlap EXCLUDE USING gist (during WITH &&)
);
ALTER TABLE clone_src.old_booking RENAME TO booking;
CREATE UNLOGGED TABLE clone_src.scratch (k text PRIMARY KEY);
INSERT INTO clone_src.parent (code) VALUES ('A'), ('BB');
INSERT INTO clone_src.child (parent_id, slot, note) VALUES (100, 1, 'x'), (105, 1, NULL);
INSERT INTO clone_src.booking (during) VALUES ('[1,5)');
"""


def test_a_clone_keeps_identity_kinds_generated_columns_partial_and_expression_indexes(db):
    # given a schema with more than Django's migrations usually make
    with connection.cursor() as cursor:
        cursor.execute(RICH_SOURCE)
    # when it is cloned
    schemas.clone_schema("clone_src", "clone_dst")
    # then the clone is its twin, with the same rows and counter positions
    assert catalog("clone_dst") == catalog("clone_src")
    for table in ["parent", "child", "booking", "scratch"]:
        assert table_rows("clone_dst", table) == table_rows("clone_src", table), table
    assert sequence_positions("clone_dst") == sequence_positions("clone_src")
    # and its constraints work on its own rows and counters
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO clone_dst.parent (code) VALUES ('C') RETURNING id, doubled")
        assert cursor.fetchone() == (110, 2)
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute("INSERT INTO clone_dst.child (parent_id, slot) VALUES (100, 1)")
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute("INSERT INTO clone_dst.booking (during) VALUES ('[3,8)')")
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute("INSERT INTO clone_dst.child (parent_id, slot) VALUES (999, 7)")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("DELETE FROM clone_dst.parent WHERE id = 100")
        cursor.execute("SELECT count(*) FROM clone_dst.child")
        assert cursor.fetchone() == (1,)
    # while the source is untouched
    assert table_rows("clone_src", "child") == [(1, 100, 1, "x"), (2, 105, 1, None)]
    assert sequence_positions("clone_src")["parent_id_seq"] == (105, True)


def test_a_schema_with_views_and_serial_columns_is_cloned_by_the_general_function(db):
    # given a source with objects the fast clone does not make itself (a view, a serial column)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE SCHEMA clone_src;"
            "CREATE TABLE clone_src.item (id serial PRIMARY KEY, name text NOT NULL);"
            "INSERT INTO clone_src.item (name) VALUES ('a'), ('b');"
            "CREATE VIEW clone_src.item_names AS SELECT name FROM clone_src.item;"
        )
    # when it is cloned
    schemas.clone_schema("clone_src", "clone_dst")
    # then the clone has the view, the rows, and a counter of its own
    assert rows("SELECT name FROM clone_dst.item_names ORDER BY 1") == [("a",), ("b",)]
    assert rows("INSERT INTO clone_dst.item (name) VALUES ('c') RETURNING id") == [(3,)]
    assert rows("INSERT INTO clone_src.item (name) VALUES ('c') RETURNING id") == [(3,)]
