"""`portalwerk demo`: the whole platform on one machine, with demo tenants and accounts.

Starts (or reuses) the embedded PostgreSQL under .portalwerk/, migrates, seeds, then runs the task
worker and gunicorn as child processes. Ctrl-C stops all of them and PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from portalwerk.platform import embedded_db, env
from portalwerk.platform.cli import _, gettext_noop

SERVER_WORKERS = "2"
SERVER_THREADS = "8"


def run(*, port: int, seed_only: bool) -> int:
    home = env.home()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ["PORTALWERK_PUBLIC_PORT"] = str(port)
    os.environ.setdefault("PORTALWERK_SECRET_KEY", env.dev_secret_key(home))
    external_db = bool(os.environ.get("DATABASE_URL"))
    server = None
    if not external_db:
        print(_("Starting the embedded PostgreSQL …"), flush=True)
        server = embedded_db.ensure_running(home / "pg")
        os.environ["DATABASE_URL"] = server.url()
        embedded_db.write_url_file(home / "run" / "database_url", server)
    children: dict[str, subprocess.Popen] = {}
    try:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portalwerk.platform.settings")
        django.setup()
        from portalwerk.platform import commands
        from portalwerk.platform.demo_data import seed

        print(_("Migrating …"), flush=True)
        if commands.setup() != 0:
            return 1
        summary = seed()
        if seed_only:
            _print_summary(summary, port, running=False)
            return 0
        from django.db import connections

        connections.close_all()
        children = _start_children(port, home)
        served = env.demo_file(home)
        served.write_text(f"{os.getpid()} {port}\n")
        _print_summary(summary, port)
        return _wait(children, port, home)
    except KeyboardInterrupt:
        return 0
    finally:
        _stop(list(children.values()))
        env.demo_file(home).unlink(missing_ok=True)
        if server is not None:
            from django.db import connections

            connections.close_all()
            embedded_db.stop(home / "pg")
            (home / "run" / "database_url").unlink(missing_ok=True)
            print(_("Stopped PostgreSQL. Bye."), flush=True)


def _control_socket(home) -> list[str]:
    """Each demo its own gunicorn control socket (gunicorn's default is one per user, which
    parallel demos would fight over); a path too long for a Unix socket turns it off."""
    path = home / "run" / "gunicorn.ctl"
    if len(str(path)) > 100:
        return ["--no-control-socket"]
    path.parent.mkdir(parents=True, exist_ok=True)
    return ["--control-socket", str(path)]


def _commands(port: int, home) -> dict[str, list[str]]:
    python = sys.executable
    return {
        gettext_noop("job worker"): [python, "-m", "portalwerk.platform.cli", "worker"],
        gettext_noop("web server"): [
            python,
            "-m",
            "gunicorn",
            "portalwerk.platform.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            SERVER_WORKERS,
            "--threads",
            SERVER_THREADS,
            "--worker-class",
            "gthread",
            "--graceful-timeout",
            "5",
            *_control_socket(home),
        ],
    }


def _start_children(port: int, home) -> dict[str, subprocess.Popen]:
    children = {
        name: subprocess.Popen(command, start_new_session=True)
        for name, command in _commands(port, home).items()
    }
    time.sleep(1.0)
    for name, child in children.items():
        if child.poll() is not None:
            _stop(list(children.values()))
            raise SystemExit(
                _("The demo's %(name)s ended at once (exit code %(code)s).")
                % {"name": _(name), "code": child.returncode}
            )
    return children


# A child that crashes is started again; one that crashes this often within the window is
# broken rather than unlucky, and the demo stops with a message instead of looping.
RESTARTS_ALLOWED = 5
RESTART_WINDOW_SECONDS = 60


def _wait(children: dict[str, subprocess.Popen], port: int, home) -> int:
    def stop_on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_term)
    commands = _commands(port, home)
    restarts: dict[str, list[float]] = {name: [] for name in children}
    while True:
        for name, child in list(children.items()):
            if child.poll() is None:
                continue
            now = time.monotonic()
            recent = [at for at in restarts[name] if now - at < RESTART_WINDOW_SECONDS]
            if len(recent) >= RESTARTS_ALLOWED:
                print(
                    _(
                        "The demo's %(name)s keeps ending (exit code %(code)s, %(restarts)s "
                        "restarts in %(window)s s); stopping."
                    )
                    % {
                        "name": _(name),
                        "code": child.returncode,
                        "restarts": len(recent),
                        "window": RESTART_WINDOW_SECONDS,
                    },
                    flush=True,
                )
                return 1
            print(
                _("The demo's %(name)s ended (exit code %(code)s); starting it again.")
                % {"name": _(name), "code": child.returncode},
                flush=True,
            )
            restarts[name] = [*recent, now]
            children[name] = subprocess.Popen(commands[name], start_new_session=True)
        time.sleep(0.5)


def _stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def _print_summary(summary, port: int, *, running: bool = True) -> None:
    print()
    print(_("Portalwerk demo is running.") if running else _("Demo data is ready."))
    print(
        "  "
        + _("Platform and operator console: %(url)s  (console: /console/)")
        % {"url": f"http://localhost:{port}/"}
    )
    for name, url in summary.tenant_urls:
        print(f"  {name}: {url}")
    if summary.back_office_url:
        print(
            "  "
            + _("Demo back office (hand-over, operator account): %(url)s")
            % {"url": summary.back_office_url}
        )
    print(_("Demo accounts (password for all: %(password)s):") % {"password": summary.password})
    for persona, email, where in summary.accounts:
        print(f"  {persona:<42} {email:<38} {where}")
    print(_("Mail sent by the demo is saved under %(path)s") % {"path": env.home() / "mail"})
    if running:
        print(_("Press Ctrl-C to stop everything."))
