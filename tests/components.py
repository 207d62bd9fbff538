"""Real components a test run may lack (Go-built tools, Java, chromium): find or build them,
cached under PORTALWERK_HOME/tools, and skip loudly when they cannot be had — or fail, when
PORTALWERK_REQUIRE_ALL=1 (CI) says every component is required.

Usable by any area's tests: `unavailable(component, why)`, `go_tool(module, binary)`,
`free_port()`, and the stripe-mock server (`StripeMock`)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import NoReturn

import pytest

GO_CANDIDATES = ("go", "/usr/local/go/bin/go", "/usr/lib/go/bin/go")


def required_all() -> bool:
    return os.environ.get("PORTALWERK_REQUIRE_ALL", "") in {"1", "true", "yes", "on"}


def unavailable(component: str, why: str) -> NoReturn:
    """Skip the test loudly, or fail it when every component is required."""
    message = f"{component} is not available: {why}"
    if required_all():
        pytest.fail(f"{message} (PORTALWERK_REQUIRE_ALL=1 requires it)", pytrace=False)
    sys.stderr.write(f"\n*** SKIPPED: {message}\n")
    pytest.skip(message)


def tools_dir() -> Path:
    from portalwerk.platform import env

    path = env.home() / "tools"
    path.mkdir(parents=True, exist_ok=True)
    return path


def go_binary() -> str | None:
    for candidate in GO_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def go_tool(module: str, binary: str, timeout: int = 900) -> Path:
    """The binary built from a Go module (`go install module@latest`), cached in tools/."""
    target = tools_dir() / binary
    if target.exists():
        return target
    go = go_binary()
    if go is None:
        unavailable(binary, "Go is not installed (needed to build it from " + module + ")")
    env = {**os.environ, "GOBIN": str(tools_dir())}
    try:
        subprocess.run(
            [go, "install", f"{module}@latest"],
            env=env,
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        output = getattr(exc, "stderr", b"") or b""
        unavailable(binary, f"`go install {module}` failed: {output.decode()[-500:]}")
    if not target.exists():
        unavailable(binary, f"`go install {module}` did not produce {target}")
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


class StripeMock:
    """stripe-mock (github.com/stripe/stripe-mock) on loopback ports: validates requests against
    Stripe's OpenAPI spec, answers with fixtures, keeps no state and sends no webhooks."""

    MODULE = "github.com/stripe/stripe-mock"

    def __init__(self) -> None:
        self.binary = go_tool(self.MODULE, "stripe-mock")
        self.http_port = free_port()
        self.https_port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self) -> StripeMock:
        self.process = subprocess.Popen(
            [
                str(self.binary),
                "-http-addr",
                f"127.0.0.1:{self.http_port}",
                "-https-addr",
                f"127.0.0.1:{self.https_port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if not wait_for_port(self.http_port):
            self.stop()
            unavailable("stripe-mock", "it did not start listening within 30 s")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None
