"""The scale run's own embedded PostgreSQL cluster and database, kept between runs on request.

Settings are the embedded cluster's (`platform.embedded_db.SERVER_SETTINGS`, durable writes), as
the demo and `make bench` run it. The cluster lives in `<PORTALWERK_HOME>/scale-pg` unless
`--home` names another folder; a run with `--keep` leaves it running-capable on disk, and the next
run continues from the tenants it holds.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

DATABASE = "scale"
#: what a tenant takes on disk: 4.3 MB measured at 200 tenants (its catalogue rows and its
#: cloned schema's files), rounded up; a step that would not fit, with this much to spare, is
#: refused before it starts
BYTES_PER_TENANT = 5_000_000
SPARE_BYTES = 2_000_000_000


def prepare_environment() -> None:
    """The ordinary settings on the scale database, whatever the caller set."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "portalwerk.platform.settings"
    for variable in ("DATABASE_URL", "PORTALWERK_TESTING", "DJANGO_DEBUG"):
        os.environ.pop(variable, None)
    os.environ.setdefault("PORTALWERK_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("PORTALWERK_LOG_LEVEL", "WARNING")


def start(data_dir: Path, *, fresh: bool):
    """The running server, with the scale database (created when missing; dropped first when
    `fresh`). Returns (server, whether the database existed and was reused)."""
    import psycopg

    from portalwerk.platform import embedded_db

    server = embedded_db.ensure_running(data_dir)
    with psycopg.connect(server.url("postgres"), autocommit=True) as admin:
        if fresh:
            admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{DATABASE}"')
    os.environ["DATABASE_URL"] = server.url(DATABASE)
    return server, bool(exists)


def stop_and_remove(data_dir: Path) -> None:
    from portalwerk.platform import embedded_db

    embedded_db.stop(data_dir)
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.with_name(data_dir.name + ".password").unlink(missing_ok=True)


def stop(data_dir: Path) -> None:
    from portalwerk.platform import embedded_db

    embedded_db.stop(data_dir)


def check_disk(data_dir: Path, tenants_to_add: int) -> str | None:
    """A message when the disk under `data_dir` cannot take `tenants_to_add` more tenants."""
    free = shutil.disk_usage(data_dir if data_dir.exists() else data_dir.parent).free
    needed = tenants_to_add * BYTES_PER_TENANT + SPARE_BYTES
    if free >= needed:
        return None
    return (
        f"not enough disk under {data_dir}: {free / 1e9:.1f} GB free, {tenants_to_add} more "
        f"tenants need about {needed / 1e9:.1f} GB ({BYTES_PER_TENANT / 1e6:.0f} MB each plus "
        f"{SPARE_BYTES / 1e9:.0f} GB to spare). Free some space or pass --home on a larger disk."
    )
