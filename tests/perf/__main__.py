"""`python -m tests.perf [--quick] [--only NAME ...]`: run the benchmarks, print `name: value`.

The run starts its own embedded PostgreSQL cluster in `<PORTALWERK_HOME>/bench-pg` (durable
settings, like production), creates a fresh database, migrates it, runs every registered benchmark
and drops the database again. Progress goes to stderr, figures to stdout.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import secrets
import sys
import time
from pathlib import Path

from .registry import BENCHES, Run

PACKAGE = __package__ or "tests.perf"


def discover() -> None:
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("bench_"):
            importlib.import_module(f"{PACKAGE}.{module.name}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.perf", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: fewer tenants and repetitions"
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only benchmarks whose name starts with NAME (repeatable)",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    return parser.parse_args(argv)


def selected(only: list[str] | None) -> list[str]:
    names = list(BENCHES)
    if not only:
        return names
    chosen = [name for name in names if any(name.startswith(prefix) for prefix in only)]
    if not chosen:
        raise SystemExit(f"no benchmark matches {only}; known: {', '.join(names)}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    discover()
    names = selected(args.only)
    if args.list:
        for name in names:
            print(f"{name}  {BENCHES[name].doc}")
        return 0

    # The bench uses the ordinary settings module on its own database, whatever the caller set.
    os.environ["DJANGO_SETTINGS_MODULE"] = "portalwerk.platform.settings"
    for variable in ("DATABASE_URL", "PORTALWERK_TESTING", "DJANGO_DEBUG"):
        os.environ.pop(variable, None)
    os.environ.setdefault("PORTALWERK_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("PORTALWERK_LOG_LEVEL", "WARNING")
    # the hand-over bench's receiver runs beside the portal, on loopback
    os.environ["PORTALWERK_ALLOW_LOCAL_ADDRESSES"] = "1"

    run = Run(quick=args.quick)
    for name in names:
        if BENCHES[name].prepare is not None:
            BENCHES[name].prepare(run)

    import psycopg

    from portalwerk.platform import embedded_db, env

    data_dir = env.home() / "bench-pg"
    started = time.perf_counter()
    server = embedded_db.ensure_running(data_dir)
    database = f"bench_{os.getpid()}"
    with psycopg.connect(server.url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
        admin.execute(f'CREATE DATABASE "{database}"')
    os.environ["DATABASE_URL"] = server.url(database)
    try:
        import django

        django.setup()
        from portalwerk.tenants import schemas, services

        run.log(f"bench: database {database} in {data_dir}")
        run.figure("cores", os.cpu_count() or 1)
        setup_s = time.perf_counter()
        schemas.migrate_all()
        services.ensure_platform_tenant()
        run.figure("setup_migrate_s", time.perf_counter() - setup_s)
        for name in names:
            run.log(f"bench: {name} ...")
            BENCHES[name].func(run)
        run.figure("bench_total_s", time.perf_counter() - started)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server.url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if server.started_here:
            embedded_db.stop(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
