"""Benchmarks, run by `make bench` (`python -m tests.perf`): figures printed as `name: value`.

Not collected by pytest (no `test_*.py` here). Each area adds a `bench_<area>.py` module whose
functions register themselves with `@bench("name")` (see `registry.py`).
"""
