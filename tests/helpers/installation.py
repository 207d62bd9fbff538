"""A whole installation on an embedded cluster of its own, driven by the `portalwerk` command in
real processes (production settings): for the tests that stop servers or put something between
the platform and PostgreSQL, so that nothing touches the rest of the suite."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from portalwerk.platform import embedded_db, env

CLI = str(Path(sys.executable).with_name("portalwerk"))
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def discard(*folders: Path) -> None:
    """Stop the cluster in each folder (if one runs there) and remove it with its password."""
    for folder in folders:
        if (folder / "PG_VERSION").exists():
            embedded_db.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)
        folder.with_name(folder.name + ".password").unlink(missing_ok=True)


def environment(url: str, name: str) -> dict[str, str]:
    kept = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PORTALWERK_", "DJANGO_", "STRIPE_", "KEYCLOAK_"))
    }
    return {
        **kept,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portalwerk.platform.settings",
        "PORTALWERK_SECRET_KEY": f"{name}-" + "k" * 50,
        "PORTALWERK_HOME": str(env.home() / f"{name}-home"),
        "PORTALWERK_BASE_DOMAIN": "localhost",
        "PYTHONPATH": str(ROOT),
    }


def portalwerk(url: str, *args: str, name: str = "installation") -> str:
    """Run `portalwerk ARGS` against the database at `url`; its output, or a failed assertion
    with the end of what it printed."""
    done = subprocess.run(
        [CLI, *args],
        env=environment(url, name),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def create_tenant(url: str, slug: str, name: str) -> None:
    portalwerk(url, "tenants", "create", "--name", name, "--slug", slug, "--kind", "municipality")


def python(url: str, code: str) -> str:
    """`code` run by Django's shell in the installation (its last line of output)."""
    return portalwerk(url, "shell", "--no-imports", "-c", code).strip().splitlines()[-1]
