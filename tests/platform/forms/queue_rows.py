"""Many submissions fast, for the inbox queue's tests: copies of one real submission made with
SQL (`generate_series`), not through the services (the services are what the other tests are
about). Each copy has its own reference `<prefix>-<n>` and applicant name."""

from __future__ import annotations

from django.db import connection

COPY_SQL = """
INSERT INTO forms_submission (reference, form_id, version_id, answers, applicant_name, email,
    language, fee_cents, status, submitted_at, due_at, updated_at, identity)
SELECT %(prefix)s || '-' || lpad(n::text, 6, '0'), s.form_id, s.version_id, '{}'::jsonb,
    %(name)s || ' ' || n, '', 'de', 0, %(status)s,
    CASE WHEN %(same_time)s THEN s.submitted_at ELSE s.submitted_at - n * interval '1 minute' END,
    NULL, now(), '{}'::jsonb
FROM forms_submission s, generate_series(1, %(count)s) AS n
WHERE s.id = %(source)s
"""


def copies(source, count: int, *, prefix="COPY", name="Kopie", status="received", same_time=False):
    """`count` copies of submission `source` in the current schema; their ids, in order."""
    with connection.cursor() as cursor:
        cursor.execute(
            COPY_SQL,
            {
                "prefix": prefix,
                "name": name,
                "status": status,
                "same_time": same_time,
                "count": count,
                "source": source.pk,
            },
        )
        cursor.execute(
            "SELECT id FROM forms_submission WHERE reference LIKE %s ORDER BY id", [f"{prefix}-%"]
        )
        return [row[0] for row in cursor.fetchall()]
