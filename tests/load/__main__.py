"""`python -m tests.load [--url URL] [--users 4,8,16,32] [--seconds 60]` (`make load`): locust,
headless, runs the citizen journey (`journey.py`) in stages of more and more users, until the
p95 latency passes 500 ms or a request fails, and prints each stage's requests per second, p95
and errors. The answer is the best stage that stayed under 500 ms without errors.

Without `--url` it seeds the demo (`portalwerk demo --seed-only`) on an embedded cluster of its
own under `<PORTALWERK_HOME>/load` and serves it as `make demo` does (gunicorn, 2 workers × 8
threads, and the job worker), with the forms' per-address limits raised: every simulated
citizen comes from 127.0.0.1. `--keep` keeps that cluster.
"""

import locust  # noqa: F401, I001  (first: locust patches the standard library for gevent)

import argparse
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import gevent
from locust.env import Environment

from .journey import Applicant, Visitor

ROOT = Path(__file__).resolve().parents[2]
P95_LIMIT_MS = 500
WARM_UP_SECONDS = 20.0


def log(message: str) -> None:
    print(f"{datetime.datetime.now(datetime.UTC):%H:%M:%S} {message}", file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.load", description=__doc__)
    parser.add_argument("--url", help="a running portal (default: start one on the demo data)")
    parser.add_argument("--users", default="2,4,8,12,16,24,32,48,64", help="users per stage")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of a stage")
    parser.add_argument("--json", type=Path, help="write the stages' figures here")
    parser.add_argument("--keep", action="store_true", help="keep the load cluster")
    args = parser.parse_args(argv)
    args.users = [int(n) for n in args.users.split(",") if n.strip()]
    return args


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Portal:
    """The demo, seeded and served on a cluster of the load run's own."""

    def __init__(self, keep: bool) -> None:
        from portalwerk.platform import embedded_db, env

        self.keep = keep
        self.home = env.home() / "load"
        self.port = _free_port()
        self.env = {
            **os.environ,
            "PORTALWERK_HOME": str(self.home),
            "PORTALWERK_PUBLIC_PORT": str(self.port),
            "PORTALWERK_LOG_LEVEL": "WARNING",
            # every simulated citizen comes from 127.0.0.1
            "PORTALWERK_FORM_STARTS_PER_HOUR": "1000000",
            "PORTALWERK_FORM_SUBMITS_PER_HOUR": "1000000",
            "PORTALWERK_APPOINTMENT_LIMITS": "search_per_ip_per_minute=1000000",
            # production settings, but plain http on loopback (so cookies are not Secure-only)
            # and the demo's plugins and loopback hand-over target that the seed configured
            "PORTALWERK_SCHEME": "http",
            "PORTALWERK_DEMO_PLUGINS": "1",
            "PORTALWERK_ALLOW_LOCAL_ADDRESSES": "1",
        }
        for variable in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PORTALWERK_TESTING"):
            self.env.pop(variable, None)
        self.home.mkdir(parents=True, exist_ok=True)
        self.env["PORTALWERK_SECRET_KEY"] = env.dev_secret_key(self.home)
        log(f"load: seeding the demo in {self.home}")
        subprocess.run(
            [sys.executable, "-m", "portalwerk.platform.cli", "demo", "--seed-only"],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        server = embedded_db.ensure_running(self.home / "pg")
        self.env["DATABASE_URL"] = server.url()
        self.env["DJANGO_SETTINGS_MODULE"] = "portalwerk.platform.settings"
        python = sys.executable
        self.children = [
            subprocess.Popen(
                [python, "-m", "portalwerk.platform.cli", "worker"],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            ),
            subprocess.Popen(
                [
                    *(python, "-m", "gunicorn", "portalwerk.platform.wsgi:application"),
                    *("--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--threads", "8"),
                    *("--worker-class", "gthread", "--no-control-socket"),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            ),
        ]
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline or any(c.poll() is not None for c in self.children):
                    self.stop()
                    raise SystemExit("load: the portal did not start") from None
                time.sleep(0.2)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        from portalwerk.platform import embedded_db

        for child in self.children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        for child in self.children:
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        embedded_db.stop(self.home / "pg")
        if not self.keep:
            shutil.rmtree(self.home, ignore_errors=True)


def stage(environment: Environment, users: int, seconds: float) -> dict:
    runner = environment.runner
    runner.start(users, spawn_rate=users)
    gevent.sleep(min(5.0, seconds / 4))  # every user started and past its first page
    environment.stats.reset_all()
    started = time.monotonic()
    gevent.sleep(seconds)
    elapsed = time.monotonic() - started
    total = environment.stats.total
    figures = {
        "users": users,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": total.num_requests / elapsed,
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
        "journeys_submitted": environment.stats.get("form: submit", "POST").num_requests,
        "p95_by_name_ms": {
            f"{entry.method} {entry.name}": entry.get_response_time_percentile(0.95)
            for entry in environment.stats.entries.values()
        },
        "errors": [f"{e.method} {e.name}: {e.error}" for e in environment.stats.errors.values()],
    }
    return figures


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portalwerk.platform.settings")
    portal = None if args.url else Portal(args.keep)
    url = args.url or portal.url
    stages = []
    try:
        environment = Environment(user_classes=[Applicant, Visitor], host=url)
        environment.create_local_runner()
        # untimed: the workers' first requests load templates and open connections
        log(f"warming up with {args.users[0]} users for {WARM_UP_SECONDS:.0f} s")
        stage(environment, args.users[0], WARM_UP_SECONDS)
        for users in args.users:
            figures = stage(environment, users, args.seconds)
            stages.append(figures)
            log(
                f"{users:3d} users: {figures['rps']:6.1f} requests/s, p50 {figures['p50_ms']:.0f}"
                f" ms, p95 {figures['p95_ms']:.0f} ms, {figures['failures']} of "
                f"{figures['requests']} failed, {figures['journeys_submitted']} submitted"
            )
            for error in figures["errors"][:5]:
                log(f"    {error}")
            if figures["p95_ms"] > P95_LIMIT_MS or figures["failures"]:
                break
        environment.runner.quit()
    finally:
        if portal is not None:
            portal.stop()
    good = [
        s for s in stages if s["requests"] and s["p95_ms"] <= P95_LIMIT_MS and not s["failures"]
    ]
    best = max(good, key=lambda s: s["rps"]) if good else None
    requests = sum(s["requests"] for s in stages)
    failures = sum(s["failures"] for s in stages)
    result = {
        "finished": f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "cores": os.cpu_count(),
        "load_average": [round(n, 1) for n in os.getloadavg()],
        "stage_seconds": args.seconds,
        "stages": stages,
        "best": best,
        "error_rate": failures / requests if requests else 0.0,
    }
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    if best:
        print(
            f"best: {best['rps']:.1f} requests/s at p95 {best['p95_ms']:.0f} ms "
            f"({best['users']} users); error rate {result['error_rate']:.4f}"
        )
    else:
        print(f"no stage stayed under {P95_LIMIT_MS} ms without errors")
    return 0 if best and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
