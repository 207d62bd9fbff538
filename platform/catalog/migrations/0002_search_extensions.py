"""pg_trgm for typo-tolerant catalogue search. Extensions are per database: it is created once, in
the public schema (on every tenant's search_path), whichever schema's migration gets there first.
The German full-text configuration is built into PostgreSQL. Never dropped on reverse: other
schemas use it."""

from django.db import migrations

CREATE = "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, reverse_sql=migrations.RunSQL.noop)]
