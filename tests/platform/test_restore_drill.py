"""The restore drill of docs/operators/backups.md, with real processes on a cluster of its own:
a base backup of a running installation, writes after it, the server lost, then recovery to a
point in time. Afterwards the installation holds exactly the writes made before that point, its
portals answer, and the template schema still makes new tenants."""

from __future__ import annotations

import json
import shutil
import time

import psycopg
import pytest

from portalwerk.platform import backups, embedded_db, env
from tests.helpers import installation
from tests.helpers.installation import create_tenant, discard, portalwerk

PAGE = """
from django.test import Client
answer = Client(HTTP_HOST="vorher.localhost").get("/")
print(answer.status_code, "Vor der Sicherung" in answer.content.decode())
"""


def slugs(url: str) -> set[str]:
    return {row["slug"] for row in json.loads(portalwerk(url, "tenants", "list", "--json"))}


def staff(url: str, slug: str) -> set[str]:
    return set(portalwerk(url, "staff", "list", "--tenant", slug).split())


def server_now(url: str):
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT clock_timestamp()").fetchone()[0]


def archive_current_segment(url: str) -> None:
    """Close the WAL segment holding the last writes and wait until the archive has it."""
    with psycopg.connect(url, autocommit=True) as conn:
        segment = conn.execute("SELECT pg_walfile_name(pg_switch_wal())").fetchone()[0]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = conn.execute("SELECT last_archived_wal FROM pg_stat_archiver").fetchone()[0]
            if done and done >= segment:
                return
            time.sleep(0.2)
    raise AssertionError(f"WAL segment {segment} was not archived")


@pytest.mark.integration
def test_point_in_time_recovery_restores_exactly_the_writes_before_the_point():
    home = env.home()
    data_dir, restored = home / "drill-pg", home / "drill-restored"
    archive, base = home / "drill-wal", home / "drill-base"
    discard(data_dir, restored, archive, base)
    url = embedded_db.ensure_running(data_dir, wal_archive=archive).url()
    try:
        portalwerk(url, "setup")
        create_tenant(url, "vorher", "Vor der Sicherung")
        backups.base_backup(url, base)
        # after the base backup, before the point: in the WAL archive only
        create_tenant(url, "zwischen", "Nach der Sicherung")
        portalwerk(
            url, "staff", "invite", "--tenant", "vorher", "--role", "reader", "davor@drill.example"
        )
        time.sleep(1)
        point = server_now(url)
        time.sleep(1)
        create_tenant(url, "spaeter", "Nach dem Zeitpunkt")
        portalwerk(
            url, "staff", "invite", "--tenant", "vorher", "--role", "reader", "danach@drill.example"
        )
        archive_current_segment(url)
    finally:
        embedded_db.stop(data_dir)  # the installation is lost

    backups.prepare_restore(base, wal_archive=archive, until=point, into=restored)
    shutil.copy(
        data_dir.with_name(data_dir.name + ".password"),
        restored.with_name(restored.name + ".password"),
    )
    url = embedded_db.ensure_running(restored).url()
    try:
        assert {"vorher", "zwischen"} <= slugs(url)
        assert "spaeter" not in slugs(url)
        assert "davor@drill.example" in staff(url, "vorher")
        assert "danach@drill.example" not in staff(url, "vorher")
        assert installation.python(url, PAGE).split() == ["200", "True"]
        create_tenant(url, "neu", "Nach der Wiederherstellung")  # cloned from the template
        assert {"vorher", "zwischen", "neu"} <= slugs(url)
        with psycopg.connect(url) as conn:
            locks = conn.execute("SHOW max_locks_per_transaction").fetchone()[0]
        assert locks == embedded_db.SERVER_SETTINGS["max_locks_per_transaction"]
    finally:
        embedded_db.stop(restored)
        discard(restored, archive, base)
