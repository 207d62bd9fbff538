"""The inbox as a work queue: a clerk's saved views, and the indexes its pages are read from.

The indexes are on the submissions' table (forms owns it, the inbox reads it):
- one B-tree per sort order, on the same columns as the keyset the page is cut at (see
  `casework.queue.SORTS`); the deadline and status orders are expressions, written exactly as
  the queue's queries write them;
- a trigram GIN index on reference and applicant name for the search, on their upper case as
  Django's `icontains` compares them (pg_trgm lives in public,
  created by catalog's 0002; the operator class is named with its schema, so the definition
  reads the same in the template schema and in every clone of it).
Building them locks writes to the one table for as long as the build takes (about a second at
100,000 submissions); reads go on."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DUE_KEY = "COALESCE(due_at, '9999-12-31 00:00:00+00'::timestamptz)"
STATUS_RANK = (
    "CASE status WHEN 'received' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'waiting' THEN 2 "
    "WHEN 'completed' THEN 3 WHEN 'rejected' THEN 4 ELSE 5 END"
)
INDEXES = {
    "casework_queue_submitted": "(submitted_at, id)",
    "casework_queue_due": f"(({DUE_KEY}), id)",
    "casework_queue_applicant": "(applicant_name, id)",
    "casework_queue_status": f"(({STATUS_RANK}), submitted_at, id)",
    # the submissions with a fee, for "paid" and "unpaid" (few of a tenant's have one)
    "casework_queue_fee": "(submitted_at, id) WHERE fee_cents > 0",
    "casework_queue_search": (
        "USING gin (upper(reference::text) public.gin_trgm_ops, "
        "upper(applicant_name::text) public.gin_trgm_ops)"
    ),
}


def _create(name: str, columns: str) -> str:
    return f"CREATE INDEX {name} ON forms_submission {columns}"


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0003_message_read_at"),
        ("forms", "0006_processing_deadline"),
        ("catalog", "0002_search_extensions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SavedView",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=80)),
                ("query", models.CharField(blank=True, max_length=1000)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="saved_inbox_views",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["name", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("owner", "name"), name="one_saved_view_per_name"
                    )
                ],
            },
        ),
        *(
            migrations.RunSQL(_create(name, columns), reverse_sql=f"DROP INDEX {name}")
            for name, columns in INDEXES.items()
        ),
    ]
