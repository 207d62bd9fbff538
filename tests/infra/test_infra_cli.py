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


def test_the_state_url_keeps_a_password_with_url_characters():
    from urllib.parse import unquote, urlsplit

    from portalwerk.infra import stacks

    url = stacks.database_url(
        {
            "USER": "portal",
            "PASSWORD": "p@ss/w:rd?#",
            "HOST": "db.example",
            "PORT": "5432",
            "NAME": "portalwerk",
        }
    )

    parts = urlsplit(url)
    assert (unquote(parts.password), parts.hostname, parts.port, parts.path) == (
        "p@ss/w:rd?#",
        "db.example",
        5432,
        "/portalwerk",
    )
