"""The table of the anonymous page cache (portalwerk.platform.catalog.pagecache), in the public
schema only (this app is shared, not a tenant app): the layout Django's database cache expects
(`createcachetable`), UNLOGGED because a cache needs no crash safety and its writes then skip
the write-ahead log (and stay out of base backups and replicas)."""

from django.db import migrations

TABLE = "portalwerk_page_cache"


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.RunSQL(
            f"""
            CREATE UNLOGGED TABLE {TABLE} (
                cache_key varchar(255) NOT NULL PRIMARY KEY,
                value text NOT NULL,
                expires timestamp with time zone NOT NULL
            );
            CREATE INDEX {TABLE}_expires ON {TABLE} (expires);
            """,
            f"DROP TABLE {TABLE}",
        )
    ]
