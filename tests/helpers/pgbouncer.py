"""Debian's PgBouncer as an ordinary process in front of an embedded cluster, on a loopback port,
with its configuration in a folder of its own. As root it drops to the embedded server's user
(PgBouncer refuses to run as root, and that user may reach the cluster's socket folder)."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from portalwerk.platform import embedded_db
from tests.helpers.installation import free_port

BINARY = "/usr/sbin/pgbouncer"


def require() -> None:
    if not Path(BINARY).exists():
        if os.environ.get("PORTALWERK_REQUIRE_ALL") == "1":
            pytest.fail(
                "PgBouncer is required (PORTALWERK_REQUIRE_ALL=1): apt-get install pgbouncer"
            )
        pytest.skip(
            "PgBouncer is not installed (Debian's pgbouncer; `make test` installs it as root)"
        )


class PgBouncer:
    def __init__(self, server: embedded_db.Server, folder: Path, *, mode: str, pool_size: int):
        self.server, self.folder, self.mode, self.pool_size = server, folder, mode, pool_size
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, database: str = embedded_db.DATABASE) -> str:
        return f"postgresql://postgres:{self.server.password}@127.0.0.1:{self.port}/{database}"

    def _write_config(self) -> Path:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        password = self.server.password
        (self.folder / "users.txt").write_text(f'"postgres" "{password}"\n')
        user = f"user = {embedded_db.SYSTEM_USER}\n" if os.geteuid() == 0 else ""
        config = self.folder / "pgbouncer.ini"
        config.write_text(
            "[databases]\n"
            f"* = host={self.server.socket_dir} user=postgres password={password}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = scram-sha-256\nauth_file = {self.folder}/users.txt\n"
            f"pool_mode = {self.mode}\ndefault_pool_size = {self.pool_size}\n"
            "max_client_conn = 200\n"
            f"logfile = {self.folder}/pgbouncer.log\npidfile = {self.folder}/pgbouncer.pid\n" + user
        )
        if os.geteuid() == 0:
            entry = pwd.getpwnam(embedded_db.SYSTEM_USER)
            for path in (self.folder, *self.folder.iterdir()):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        return config

    def start(self) -> PgBouncer:
        self.process = subprocess.Popen(
            [BINARY, str(self._write_config())],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        log = (self.folder / "pgbouncer.log").read_text() if self.folder.exists() else ""
        raise AssertionError(f"PgBouncer did not start: {log[-2000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(10)
