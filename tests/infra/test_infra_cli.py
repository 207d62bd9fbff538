"""`portalwerk infra` as an operator meets it when something is wrong: one line that says what,
exit code 2, nothing started."""

from __future__ import annotations

import pytest

from tests.tenants.test_cli import run


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["plan", "no-such-tenant"], "There is no tenant with the slug 'no-such-tenant'."),
        (
            ["apply", "--yes"],
            "Set PORTALWERK_TF_KEYCLOAK_ADMIN, PORTALWERK_TF_KEYCLOAK_ADMIN_PASSWORD",
        ),
        (
            ["plan", "alpha"],
            "Set PORTALWERK_TF_KEYCLOAK_ADMIN, PORTALWERK_TF_KEYCLOAK_ADMIN_PASSWORD",
        ),
    ],
)
def test_bad_input_is_one_line(live_db, args, says):
    done = run("infra", *args)

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("portalwerk: error: ") and says in line
