"""The sign-in bench keeps working: run quickly as a developer runs it, it starts its own
Keycloak, signs in through it and locally, and prints its figures as `name: number`. No timing
is asserted. Without Java or Maven the bench skips itself, and so does this test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.components import unavailable
from tests.tenants.test_bench_smoke import FIGURE, ROOT

pytestmark = pytest.mark.integration


def test_the_quick_sign_in_bench_signs_in_through_keycloak_and_locally():
    if shutil.which("java") is None or shutil.which("mvn") is None:
        unavailable("Keycloak", "Java or Maven is missing, so the sign-in bench skips itself")
    # given a shell without the test run's database settings (the bench starts its own Keycloak)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PORTALWERK_TESTING"}
    }
    # when the bench runs quickly, alone
    result = subprocess.run(
        [sys.executable, "-m", "tests.perf", "--quick", "--only", "sign_in"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,  # Keycloak starts in one to three minutes on a busy machine
    )

    # then both kinds of sign-in went through and their figures are there

    assert result.returncode == 0, result.stderr[-2000:]
    assert "SKIPPED" not in result.stderr, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert [line for line in lines if not FIGURE.match(line)] == []
    figures = dict(line.split(": ") for line in lines)
    assert float(figures["sign_in_local_per_s"]) > 0
    assert float(figures["sign_in_keycloak_per_s"]) > 0
    assert float(figures["sign_in_keycloak_ratio"]) > 0
