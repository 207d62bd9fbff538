"""`python -m tests.scale [--steps 10,1000,2000,5000] [--keep]` (`make scale`): grow an
installation step by step and measure it at each step (docs/operators/scaling.md).

A step reuses the tenants of the step before. The cluster lives in `<PORTALWERK_HOME>/scale-pg`;
with `--keep` it stays on disk after the run, and a later run continues from its tenants and
from the steps it already measured (`scale-figures.json` beside the cluster). Without `--keep`
the cluster is removed at the end. Progress goes to stderr with the time of day.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

from . import cluster, grow, measure, report

ROOT = Path(__file__).resolve().parents[2]
#: a first guess, replaced by what the run measures: seconds per tenant created, per tenant
#: seeded with the catalogue, and for the measurements of one step
GUESS_CREATE_S, GUESS_SEED_S, GUESS_MEASURE_S = 0.3, 0.4, 240.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.scale", description=__doc__)
    parser.add_argument("--steps", default="10,1000,2000,5000", help="tenant counts, ascending")
    parser.add_argument("--keep", action="store_true", help="leave the cluster for a later run")
    parser.add_argument("--fresh", action="store_true", help="start from an empty database")
    parser.add_argument(
        "--home", type=Path, help="cluster folder (default PORTALWERK_HOME/scale-pg)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "operators")
    parser.add_argument(
        "--doc", type=Path, help="the page with the markers (default OUT/scaling.md)"
    )
    parser.add_argument("--batch", type=int, default=100, help="tenants created per batch")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=200, help="requests per latency figure")
    parser.add_argument("--spread", type=int, default=200, help="tenants the spread traffic visits")
    parser.add_argument("--served", type=int, default=500, help="tenants a worker serves")
    args = parser.parse_args(argv)
    try:
        args.steps = sorted({int(step) for step in args.steps.split(",") if step.strip()})
    except ValueError:
        parser.error(f"--steps takes tenant counts separated by commas, not {args.steps!r}")
    if not args.steps or args.steps[0] < 1:
        parser.error("--steps needs at least one count of 1 or more")
    return args


def log(message: str) -> None:
    print(f"{datetime.datetime.now(datetime.UTC):%H:%M:%S} {message}", file=sys.stderr, flush=True)


class Estimate:
    """Time left, from what the run has measured so far (first guesses until then)."""

    def __init__(self) -> None:
        self.create_s, self.seed_s, self.measure_s = GUESS_CREATE_S, GUESS_SEED_S, GUESS_MEASURE_S

    def left(self, have: int, steps: list[int], served: int) -> float:
        to_create = max(0, steps[-1] - have) if steps else 0
        to_seed = min(served, steps[-1]) if steps else 0
        return to_create * self.create_s + to_seed * self.seed_s + len(steps) * self.measure_s


def traffic(count: int, args: argparse.Namespace) -> tuple[str, list[str], list[str]]:
    """The step's tenants: one for traffic on one tenant, a sample for the spread traffic and
    one for the memory figures (same seed per step, so a resumed step picks the same ones)."""
    numbers = list(range(1, count + 1))
    picker = random.Random(count)
    spread = sorted(picker.sample(numbers, min(args.spread, count)))
    served = sorted(picker.sample(numbers, min(args.served, count)))
    return grow.slug(1), [grow.slug(n) for n in spread], [grow.slug(n) for n in served]


def measure_step(count: int, args: argparse.Namespace, estimate: Estimate) -> dict:
    from django.db import connections

    from portalwerk.tenants import services

    values: dict[str, float] = {}
    start = time.perf_counter()
    created = grow.grow_to(count, batch=args.batch, log=log)
    if created:
        estimate.create_s = sum(created) / len(created)
    values.update(measure.summary(created))
    one, spread, served = traffic(count, args)
    seed_start = time.perf_counter()
    to_seed = sorted({one, *spread, *served})
    log(f"  seeding the catalogue where missing ({len(to_seed)} tenants get traffic)")
    grow.seeded(to_seed)
    estimate.seed_s = max(0.05, (time.perf_counter() - seed_start) / len(to_seed))
    measure_start = time.perf_counter()
    log("  tenants migrate (nothing to do)")
    values["migrate_noop_s"] = measure.migrate_noop_s()
    values.update(measure.catalogue())
    connections.close_all()
    log(f"  latencies ({args.requests} requests per figure, {args.clients} clients)")
    # the machine's own load beside the run's: latencies mean little when it is high
    values["load_average_1m"] = os.getloadavg()[0]
    hosts = [services.tenant_host(slug) for slug in spread]
    values.update(
        measure.latencies(
            services.tenant_host(one), hosts, requests=args.requests, clients=args.clients
        )
    )
    values["spread_tenants"] = len(spread)
    log(f"  web worker memory ({len(served)} tenants)")
    values.update(measure.worker_memory([services.tenant_host(slug) for slug in served]))
    log(f"  PostgreSQL backend memory ({len(served)} schemas)")
    values.update(measure.backend_memory([services.tenant_host(slug) for slug in served]))
    estimate.measure_s = time.perf_counter() - measure_start
    values["step_s"] = time.perf_counter() - start
    return values


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cluster.prepare_environment()
    from portalwerk.platform import env

    data_dir = (args.home or env.home() / "scale-pg").resolve()
    state_path = data_dir.with_name(data_dir.name + "-figures.json")
    doc = args.doc or args.out / "scaling.md"
    if args.fresh:
        state_path.unlink(missing_ok=True)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # before starting anything; a kept cluster is checked per step, against what it holds
    problem = None if data_dir.exists() else cluster.check_disk(data_dir, args.steps[-1])
    if problem:
        log(problem)
        return 2
    started = time.perf_counter()
    server, reused = cluster.start(data_dir, fresh=args.fresh)
    record = report.load(state_path) if reused else {"steps": {}}
    log(f"scale: cluster {data_dir} ({'continuing' if reused else 'new database'})")
    try:
        import django

        django.setup()
        from django.db import connections

        from portalwerk.tenants import schemas, services

        schemas.migrate_all()
        services.ensure_platform_tenant()
        connections.close_all()
        record.update(machine=report.machine(), clients=args.clients, requests=args.requests)
        estimate = Estimate()
        have = grow.existing()
        todo = [step for step in args.steps if str(step) not in record["steps"]]
        for step in todo:
            if step < have:
                log(f"step {step}: the cluster holds {have} tenants already; skipped")
                continue
            problem = cluster.check_disk(data_dir, step - have)
            if problem:
                log(problem)
                return 2
            left = estimate.left(have, [s for s in todo if s >= step], args.served)
            log(f"step {step} tenants (have {have}; about {left / 60:.0f} min left in all)")
            record["steps"][str(step)] = measure_step(step, args, estimate)
            have = step
            record["finished"] = f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC"
            record["load_average"] = ", ".join(f"{n:.1f}" for n in os.getloadavg())
            report.save(state_path, record)
            report.write(record, out=args.out, doc=doc)
            log(f"step {step} done in {record['steps'][str(step)]['step_s'] / 60:.1f} min")
        if not todo:
            report.write(record, out=args.out, doc=doc)
        log(f"scale: done in {(time.perf_counter() - started) / 60:.1f} min; wrote {doc}")
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            cluster.stop(data_dir)
            log(f"scale: cluster kept in {data_dir} (run again with --keep to continue)")
        else:
            cluster.stop_and_remove(data_dir)
            state_path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
