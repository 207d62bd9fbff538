"""Two `portalwerk demo` processes on other ports than 8000 at once, as a developer runs them:
each prints and serves URLs with its own port, has its own gunicorn control socket, and a
`portalwerk tenants list` beside a demo prints that demo's port. The demo's people have German
names."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import psycopg
import pytest

from portalwerk.platform import embedded_db, env

CLI = str(Path(sys.executable).with_name("portalwerk"))
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cluster():
    data_dir = env.home() / "demo-ports-pg"
    server = embedded_db.ensure_running(data_dir, fast_unsafe=True)
    with psycopg.connect(server.url(), autocommit=True) as conn:
        for name in ("demo_a", "demo_b"):
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
    yield server
    embedded_db.stop(data_dir)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(home: Path, url: str) -> dict[str, str]:
    variables = {**os.environ, "DATABASE_URL": url, "PORTALWERK_HOME": str(home)}
    # an operator's shell: the production settings module, no port pinned by the test settings
    variables.pop("PORTALWERK_PUBLIC_PORT", None)
    variables["DJANGO_SETTINGS_MODULE"] = "portalwerk.platform.settings"
    return variables


def start_demo(home: Path, url: str, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [CLI, "demo", "--port", str(port)],
        env=environment(home, url),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def read_until_running(demo: subprocess.Popen) -> str:
    lines = []
    for line in demo.stdout:
        lines.append(line)
        if "Press Ctrl-C" in line:
            break
    assert "Press Ctrl-C" in lines[-1], "".join(lines[-30:])
    return "".join(lines)


def answers(port: int) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/", headers={"Host": f"musterstadt.localhost:{port}"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status


def stop(demo: subprocess.Popen) -> None:
    if demo.poll() is None:
        demo.send_signal(signal.SIGTERM)
    demo.wait(30)


def test_two_demos_on_their_own_ports_print_and_serve_their_urls(cluster, tmp_path):
    homes = [tmp_path / "a", tmp_path / "b"]
    urls = [cluster.url("demo_a"), cluster.url("demo_b")]
    ports = [free_port(), free_port()]
    demos = [start_demo(h, u, p) for h, u, p in zip(homes, urls, ports, strict=True)]
    try:
        # given two demos running at once on ports other than 8000
        outputs = [read_until_running(demo) for demo in demos]
        for output, port, home in zip(outputs, ports, homes, strict=True):
            # then every URL each one prints carries its own port
            assert ":8000" not in output
            assert f"http://musterstadt.localhost:{port}/" in output
            assert f"http://localhost:{port}/console/" in output
            # and each has its own control socket, under its own state directory
            assert (home / "run" / "gunicorn.ctl").is_socket()
            assert answers(port) == 200
        # when an operator lists the tenants beside the first demo
        listed = subprocess.run(
            [CLI, "tenants", "list", "--json"],
            env=environment(homes[0], urls[0]),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert listed.returncode == 0, listed.stderr
        row = next(r for r in json.loads(listed.stdout) if r["slug"] == "musterstadt")
        # then the URLs are the ones that demo serves
        assert row["urls"] == [f"http://musterstadt.localhost:{ports[0]}/"]
        # and stopping the second demo leaves the first one's control socket and server alone
        stop(demos[1])
        assert (homes[0] / "run" / "gunicorn.ctl").is_socket()
        assert answers(ports[0]) == 200
    finally:
        for demo in demos:
            stop(demo)
    # and a stopped demo leaves no port behind for the next command to print
    assert env.served_port(homes[0]) == ""
    # and the demo's people have German names, not their role and their tenant's name
    with psycopg.connect(urls[0]) as conn:
        people = dict(
            conn.execute(
                "SELECT email, full_name FROM t_musterstadt.accounts_user ORDER BY email"
            ).fetchall()
        )
        operator = conn.execute(
            "SELECT full_name FROM public.accounts_user WHERE email = %s",
            ["operator@portalwerk.example"],
        ).fetchone()[0]
    assert people["buerger@musterstadt.example"] == "Max Mustermann"
    assert people["sachbearbeitung@musterstadt.example"] == "Sabine Weber"
    assert not [n for n in [*people.values(), operator] if "Musterstadt" in n or "Operator" in n]
    # and the demo citizen has an address on "My account", which forms start with
    with psycopg.connect(urls[0]) as conn:
        address = conn.execute(
            "SELECT street, house_number, postcode, city FROM t_musterstadt.accounts_user "
            "WHERE email = %s",
            ["buerger@musterstadt.example"],
        ).fetchone()
    assert address == ("Hauptstraße", "12", "12345", "Musterstadt")
