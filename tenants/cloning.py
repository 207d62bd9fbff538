"""Copying a schema: how a new tenant gets the template's tables.

Cloning: django-tenants' `clone_schema` PL/pgSQL function (~4,000 lines, which its Python side
re-creates on every call) queries `information_schema` and scans the catalogue per object, so it
slows down as schemas accumulate, and unevenly: `make bench` measured 0.13-0.33 s with 1 tenant
and 0.16-3 s with 500 in two runs (function pre-installed; on every call it costs more).
`clone_schema()` here reads the template's catalogue in five queries that start from the
namespace's pg_depend entries and follow indexes (so their cost does not grow with the tenant
count) and sends the DDL in one round trip: 0.02-0.06 s with 500 tenants. It makes
what Django's migrations make (tables, identity sequences, indexes, constraints, foreign keys,
comments, rows, sequence positions) and hands anything else (views, functions, triggers, types,
serial sequences, grants...) to django-tenants' function, installed once per process.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django_tenants.clone import CloneSchema

_MEMBERS_CTE = """
WITH members AS (
    SELECT d.classid, d.objid, c.relkind, c.relrowsecurity, c.relispartition, c.relacl,
           c.relowner
    FROM pg_depend d
    LEFT JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
    WHERE d.refclassid = 'pg_namespace'::regclass
      AND d.refobjid = (SELECT oid FROM pg_namespace WHERE nspname = %(source)s)
), tables AS (SELECT objid AS oid FROM members WHERE relkind = 'r')
"""

# The names quoted, whether the target exists (case-insensitively, as django-tenants checks:
# two tenants must not fight over one schema), the source's tables and a count of what the fast
# clone does not reproduce (then django-tenants' function clones the schema): objects other than
# tables and identity sequences, triggers, policies, rules, inheritance, grants, other owners.
_OVERVIEW_SQL = (
    _MEMBERS_CTE
    + """
SELECT quote_ident(%(source)s), quote_ident(%(target)s),
  EXISTS (SELECT 1 FROM pg_namespace WHERE lower(nspname) = lower(%(target)s)),
  array(SELECT oid FROM tables),
  (SELECT count(*) FROM members m
   WHERE m.relkind IS NULL OR m.relkind NOT IN ('r', 'S') OR m.relrowsecurity
      OR m.relispartition OR m.relacl IS NOT NULL OR m.relowner <> current_user::regrole
      OR (m.relkind = 'S' AND NOT EXISTS (
          SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_class'::regclass
                                      AND i.objid = m.objid AND i.deptype = 'i')))
  + (SELECT count(*) FROM tables r JOIN pg_trigger t ON t.tgrelid = r.oid
     WHERE NOT t.tgisinternal)
  + (SELECT count(*) FROM tables r JOIN pg_policy p ON p.polrelid = r.oid)
  + (SELECT count(*) FROM tables r JOIN pg_rewrite w ON w.ev_class = r.oid)
  + (SELECT count(*) FROM tables r JOIN pg_inherits i ON i.inhrelid = r.oid)
  + (SELECT count(*) FROM tables r JOIN pg_inherits i ON i.inhparent = r.oid)
  + (SELECT count(*) FROM tables r JOIN pg_constraint k ON k.conrelid = r.oid
     WHERE k.contype NOT IN ('p', 'u', 'x', 'f', 'c', 'n'))
  + (SELECT count(*) FROM tables r JOIN pg_attribute a ON a.attrelid = r.oid
     WHERE a.attacl IS NOT NULL)
"""
)

# Tables, with their stored columns (generated columns compute themselves).
_TABLES_SQL = """
SELECT quote_ident(c.relname), c.relpersistence, c.reloptions,
       quote_literal(obj_description(c.oid, 'pg_class')),
       array(SELECT quote_ident(a.attname) FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
               AND a.attgenerated = '' ORDER BY a.attnum)
FROM pg_class c WHERE c.oid = ANY(%(tables)s) ORDER BY c.relname
"""

# Identity columns and their sequences (recreated under the same names, with the same options).
_IDENTITY_SQL = """
SELECT quote_ident(c.relname), quote_ident(a.attname), a.attidentity, quote_ident(s.relname),
       quote_literal(quote_ident(%(target)s) || '.' || quote_ident(s.relname)),
       q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache, q.seqcycle
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attidentity <> '' AND NOT a.attisdropped
JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid
                AND d.refobjsubid = a.attnum AND d.classid = 'pg_class'::regclass
                AND d.deptype = 'i'
JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
JOIN pg_sequence q ON q.seqrelid = s.oid
WHERE c.oid = ANY(%(tables)s)
ORDER BY c.relname, a.attnum
"""

# Primary keys, unique and exclusion constraints, then foreign keys (added after the rows).
# CHECK and NOT NULL constraints come with CREATE TABLE ... LIKE ... INCLUDING CONSTRAINTS.
_CONSTRAINTS_SQL = """
SELECT quote_ident(r.relname), quote_ident(k.conname), k.contype,
       pg_get_constraintdef(k.oid), coalesce(f.relnamespace = k.connamespace, false)
FROM pg_class r
JOIN pg_constraint k ON k.conrelid = r.oid AND k.contype IN ('p', 'u', 'x', 'f')
LEFT JOIN pg_class f ON f.oid = k.confrelid
WHERE r.oid = ANY(%(tables)s)
ORDER BY k.contype = 'f', r.relname, k.conname
"""

# Indexes that no constraint owns (those come with their constraint).
_INDEXES_SQL = """
SELECT pg_get_indexdef(i.indexrelid)
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = ANY(%(tables)s)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = i.indrelid
                  AND k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
ORDER BY c.relname
"""


class _Unsupported(Exception):
    """The source holds something the fast clone does not reproduce."""


def clone_schema(source: str, target: str) -> None:
    """Create schema `target` as a copy of `source`: structure, rows and sequence positions.

    One transaction: on any error nothing of `target` remains.
    """
    connection.set_schema_to_public()
    with transaction.atomic(), connection.cursor() as cursor:
        try:
            sql = _clone_sql(cursor, source, target)
        except _Unsupported:
            _clone_with_function(cursor, source, target)
            return
        cursor.execute(sql)


def _clone_sql(cursor, source: str, target: str) -> str:
    names = {"source": source, "target": target}
    cursor.execute(_OVERVIEW_SQL, names)
    src, tgt, target_exists, table_oids, unsupported = cursor.fetchone()
    if target_exists:
        raise ValidationError("New schema name already exists")
    if unsupported:
        raise _Unsupported(source)
    names["tables"] = table_oids
    cursor.execute(_TABLES_SQL, names)
    tables = cursor.fetchall()
    cursor.execute(_IDENTITY_SQL, names)
    identities = cursor.fetchall()
    cursor.execute(_CONSTRAINTS_SQL, names)
    constraints = cursor.fetchall()
    cursor.execute(_INDEXES_SQL, names)
    indexes = [row[0] for row in cursor.fetchall()]

    inline: dict[str, list[str]] = {}
    foreign_keys: dict[str, list[str]] = {}
    for table, name, kind, definition, internal in constraints:
        if kind == "f":
            if internal:
                marker = f" REFERENCES {src}."
                if marker not in definition:
                    raise _Unsupported(definition)
                definition = definition.replace(marker, f" REFERENCES {tgt}.", 1)
            foreign_keys.setdefault(table, []).append(f"ADD CONSTRAINT {name} {definition}")
        else:
            inline.setdefault(table, []).append(f"CONSTRAINT {name} {definition}")

    statements = [f"CREATE SCHEMA {tgt}"]
    for table, persistence, options, comment, _columns in tables:
        unlogged = "UNLOGGED " if persistence == "u" else ""
        storage = f" WITH ({', '.join(options)})" if options else ""
        # Identity columns are added under the template's sequence names and types (LIKE ...
        # INCLUDING IDENTITY would choose names of its own and make every sequence bigint).
        like = f"LIKE {src}.{table} INCLUDING ALL EXCLUDING INDEXES EXCLUDING IDENTITY"
        elements = ", ".join([like, *inline.get(table, [])])
        statements.append(f"CREATE {unlogged}TABLE {tgt}.{table} ({elements}){storage}")
        if comment is not None:
            statements.append(f"COMMENT ON TABLE {tgt}.{table} IS {comment}")
        for row in identities:
            if row[0] != table:
                continue
            column, kind, sequence, literal, start, step, low, high, cache, cycle = row[1:]
            generated = "ALWAYS" if kind == "a" else "BY DEFAULT"
            statements.append(
                f"ALTER TABLE {tgt}.{table} ALTER COLUMN {column} ADD GENERATED {generated} AS "
                f"IDENTITY (SEQUENCE NAME {tgt}.{sequence} START WITH {start} "
                f"INCREMENT BY {step} MINVALUE {low} MAXVALUE {high} CACHE {cache}"
                f"{'' if cycle else ' NO'} CYCLE)"
            )
    for definition in indexes:
        for marker in (f" ON {src}.", f" ON ONLY {src}."):
            if marker in definition:
                statements.append(definition.replace(marker, marker.replace(src, tgt), 1))
                break
        else:
            raise _Unsupported(definition)
    for table, _persistence, _options, _comment, columns in tables:
        if columns:
            listed = ", ".join(columns)
            statements.append(
                f"INSERT INTO {tgt}.{table} ({listed}) OVERRIDING SYSTEM VALUE "
                f"SELECT {listed} FROM {src}.{table}"
            )
    for _table, _column, _kind, sequence, literal, *_options in identities:
        statements.append(f"SELECT setval({literal}, last_value, is_called) FROM {src}.{sequence}")
    for table, additions in foreign_keys.items():
        statements.append(f"ALTER TABLE {tgt}.{table} {', '.join(additions)}")
    return ";\n".join(statements)


_clone_function_installed: set[str] = set()


def _clone_with_function(cursor, source: str, target: str) -> None:
    """django-tenants' clone function, (re)installed only when this process has not yet done so
    for this database or it is missing (e.g. rolled back)."""
    database = connection.settings_dict["NAME"]
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'clone_schema' "
        "AND pronamespace = 'public'::regnamespace)"
    )
    if database not in _clone_function_installed or not cursor.fetchone()[0]:
        CloneSchema()._create_clone_schema_function()
        _clone_function_installed.add(database)
    cursor.execute("SELECT clone_schema(%s, %s, 'DATA')", [source, target])
