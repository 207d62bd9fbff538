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


# --- Keycloak -----------------------------------------------------------------------------------

KEYCLOAK_VERSION = os.environ.get("PORTALWERK_KEYCLOAK_VERSION", "26.7.3")
KEYCLOAK_ADMIN_PASSWORD = "admin-of-the-test-keycloak"
#: Portalwerk's Keycloak themes (the login theme `portalwerk`), copied into the distribution's
#: themes/ folder at each start, as a data centre deploys them
KEYCLOAK_THEMES = (
    Path(__file__).resolve().parents[1] / "platform/accounts/identity/contrib/keycloak/theme"
)


def keycloak_home(timeout: int = 900) -> Path:
    """Keycloak's server distribution (`org.keycloak:keycloak-quarkus-dist` from Maven Central,
    fetched with `mvn dependency:copy`), unpacked once under tools/."""
    home = tools_dir() / f"keycloak-{KEYCLOAK_VERSION}"
    if (home / "bin" / "kc.sh").exists():
        return home
    if shutil.which("java") is None:
        unavailable("Keycloak", "Java is not installed (Keycloak 26 needs Java 17 or newer)")
    mvn = shutil.which("mvn")
    if mvn is None:
        unavailable("Keycloak", "Maven (mvn) is not installed; it fetches keycloak-quarkus-dist")
    download = tools_dir() / "downloads"
    artifact = f"org.keycloak:keycloak-quarkus-dist:{KEYCLOAK_VERSION}:tar.gz"
    try:
        subprocess.run(
            [
                mvn,
                "-B",
                "-q",
                "dependency:copy",
                f"-Dartifact={artifact}",
                f"-DoutputDirectory={download}",
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        subprocess.run(
            ["tar", "xzf", str(download / f"keycloak-quarkus-dist-{KEYCLOAK_VERSION}.tar.gz")],
            cwd=tools_dir(),
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        output = (getattr(exc, "stdout", b"") or b"") + (getattr(exc, "stderr", b"") or b"")
        unavailable("Keycloak", f"fetching {artifact} failed: {output.decode()[-500:]}")
    if not (home / "bin" / "kc.sh").exists():
        unavailable("Keycloak", f"{artifact} did not unpack to {home}")
    return home


class KeycloakServer:
    """Keycloak in development mode on loopback ports, with an in-memory database (a clean server
    each run) and a bootstrap admin; ready when its management port says so."""

    def __init__(self, port: int | None = None) -> None:
        self.home = keycloak_home()
        self.port = port or free_port()
        self.management_port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = tools_dir() / "keycloak.log"
        self.started_in = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def install_themes(self) -> None:
        for theme in KEYCLOAK_THEMES.iterdir():
            target = self.home / "themes" / theme.name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(theme, target)

    def start(self, timeout: float = 300.0) -> KeycloakServer:
        import urllib.request

        started = time.monotonic()
        self.install_themes()
        env = {
            **os.environ,
            "KC_BOOTSTRAP_ADMIN_USERNAME": "admin",
            "KC_BOOTSTRAP_ADMIN_PASSWORD": KEYCLOAK_ADMIN_PASSWORD,
        }
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    str(self.home / "bin" / "kc.sh"),
                    "start-dev",
                    "--http-host=127.0.0.1",
                    f"--http-port={self.port}",
                    "--health-enabled=true",
                    f"--http-management-port={self.management_port}",
                    "--db=dev-mem",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        ready = f"http://127.0.0.1:{self.management_port}/health/ready"
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(ready, timeout=2) as response:
                    if response.status == 200:
                        self.started_in = time.monotonic() - started
                        return self
            except OSError:
                time.sleep(0.5)
        tail = self.log.read_text(errors="replace")[-800:]
        self.stop()
        unavailable("Keycloak", f"it was not ready within {timeout:.0f} s: {tail}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, 15)  # kc.sh starts java as its child
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
        self.process = None


if __name__ == "__main__":
    # `make test` fetches what the tests need before they run (PYTHONPATH=tests python -m
    # components keycloak); without Java or Maven it says so and the tests skip (or fail in CI).
    if sys.argv[1:] == ["keycloak"]:
        try:
            print(f"Keycloak {KEYCLOAK_VERSION}: {keycloak_home()}")
        except (pytest.skip.Exception, pytest.fail.Exception) as exc:
            print(f"WARNING: {exc}")
