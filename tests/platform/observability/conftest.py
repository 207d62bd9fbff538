"""Fixtures of the observability tests: every log line, as production formats it."""

from __future__ import annotations

import io
import json
import logging

import pytest

from portalwerk.platform.observability import logs


@pytest.fixture
def log_lines():
    """log_lines(): the lines logged since the fixture started, at DEBUG and up, rendered by
    the production formatter (one JSON object each), parsed; `.text` is all of them as text."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    config = logs.formatter("json")
    handler.setFormatter(config.pop("()")(**config))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)

    class Lines(list):
        text = ""

    def read() -> Lines:
        lines = Lines(json.loads(line) for line in stream.getvalue().splitlines())
        lines.text = stream.getvalue()
        return lines

    try:
        yield read
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.fixture
def sentry():
    """Sentry switched on as production does (init_sentry), reporting to a local endpoint;
    the endpoint's `events()` and `transactions()` after a `flush()`."""
    import sentry_sdk
    from sentry_receiver import Receiver

    from portalwerk.platform.errors import init_sentry

    receiver = Receiver()
    receiver.thread.start()
    init_sentry(receiver.dsn, traces_sample_rate=1.0)
    receiver.flush = lambda: sentry_sdk.flush(timeout=10)
    try:
        yield receiver
    finally:
        sentry_sdk.init(dsn=None)
        receiver.server.shutdown()
