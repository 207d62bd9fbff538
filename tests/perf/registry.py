"""Benchmarks register here; `__main__` runs them in registration order and prints the figures.

A benchmark is a function taking a `Run` and calling `run.figure(name, value)` for each number it
measured. Figures are ratios or seconds measured in this run; nothing here asserts a timing.
A benchmark may name a `prepare(run)` that runs before Django starts, for settings that must be
in the environment by then (e.g. an identity plugin's app).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

BenchFunction = Callable[["Run"], None]


@dataclass(frozen=True)
class Bench:
    name: str
    func: BenchFunction
    doc: str
    prepare: BenchFunction | None = None


BENCHES: dict[str, Bench] = {}


def bench(
    name: str, *, prepare: BenchFunction | None = None
) -> Callable[[BenchFunction], BenchFunction]:
    """Register `func` as the benchmark `name` (run with `--only name` alone)."""

    def register(func: BenchFunction) -> BenchFunction:
        if name in BENCHES:
            raise ValueError(f"benchmark {name!r} is registered twice")
        doc = (func.__doc__ or "").strip()
        BENCHES[name] = Bench(name, func, doc.splitlines()[0] if doc else "", prepare)
        return func

    return register


@dataclass
class Run:
    """What a benchmark gets: the mode, a place to print figures, and state shared between
    benchmarks of one run (e.g. tenants created by one and reused by the next)."""

    quick: bool = False
    figures: dict[str, float] = field(default_factory=dict)
    shared: dict[str, object] = field(default_factory=dict)

    def figure(self, name: str, value: float) -> None:
        self.figures[name] = value
        if isinstance(value, int):
            text = str(value)
        else:
            text = f"{value:.1f}" if abs(value) >= 100 else f"{value:.4f}"
        print(f"{name}: {text}", flush=True)

    def log(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def median_time(func: Callable[[int], object], repeat: int) -> float:
    """Median wall time of `func(i)` for i in range(repeat)."""
    return statistics.median(timed(lambda i=i: func(i)) for i in range(repeat))
