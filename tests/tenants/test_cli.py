"""The `portalwerk` command, run as an operator would: a real process against the test database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from portalwerk.platform.authz.actors import system
from portalwerk.tenants import services
from portalwerk.tenants.models import Tenant, TenantStatus

CLI = str(Path(sys.executable).with_name("portalwerk"))


def run(
    *args: str, stdin: str | None = None, lang: str = "en_GB.UTF-8"
) -> subprocess.CompletedProcess:
    settings = connection.settings_dict
    url = (
        f"postgresql://{settings['USER']}:{settings['PASSWORD']}@/{settings['NAME']}"
        f"?host={settings['HOST']}"
    )
    env = {**os.environ, "DATABASE_URL": url, "LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""}
    return subprocess.run(
        [CLI, *args], env=env, capture_output=True, text=True, input=stdin, timeout=120
    )


@pytest.fixture
def cleanup(live_db):
    slugs: list[str] = []
    yield slugs
    for slug in reversed(slugs):
        if Tenant.objects.filter(slug=slug).exists():
            services.delete_tenant(actor=system("test"), slug=slug)


def test_create_list_suspend_resume_delete(cleanup):
    cleanup.append("cli-dorf")
    # when an operator creates a member municipality on the command line
    created = run(
        "tenants",
        "create",
        "--name",
        "Gemeinde Clidorf",
        "--slug",
        "cli-dorf",
        "--kind",
        "municipality",
        "--parent",
        "testland",
        "--key",
        "05998016",
        "--domain",
        "portal.clidorf.example",
    )
    assert created.returncode == 0, created.stderr
    assert "http://cli-dorf.localhost" in created.stdout
    # then it is listed, with its parent, status and URLs
    listed = json.loads(run("tenants", "list", "--json").stdout)
    row = next(r for r in listed if r["slug"] == "cli-dorf")
    assert row["parent"] == "testland"
    assert row["status"] == "active"
    assert any("portal.clidorf.example" in url for url in row["urls"])
    # and it can be suspended and resumed
    assert run("tenants", "suspend", "cli-dorf").returncode == 0
    assert Tenant.objects.get(slug="cli-dorf").status == TenantStatus.SUSPENDED
    assert run("tenants", "resume", "cli-dorf").returncode == 0
    assert Tenant.objects.get(slug="cli-dorf").status == TenantStatus.ACTIVE
    # and deletion without a terminal asks for --yes instead of deleting
    refused = run("tenants", "delete", "cli-dorf")
    assert refused.returncode != 0
    assert Tenant.objects.filter(slug="cli-dorf").exists()
    deleted = run("tenants", "delete", "cli-dorf", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert not Tenant.objects.filter(slug="cli-dorf").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slug", "x-dorf", "--kind", "municipality", "--parent", "atlantis"], "atlantis"),
        (["--slug", "alpha", "--kind", "municipality"], "exists already"),
        (["--slug", "x-dorf", "--kind", "municipality", "--key", "1234"], "8 digits"),
        (["--slug", "Bad_Slug", "--kind", "municipality"], "host label"),
        (
            ["--slug", "x-dorf", "--kind", "municipality", "--domain", "alpha.localhost"],
            "another tenant",
        ),
        (["--slug", "x-dorf", "--kind", "city"], "invalid choice"),
    ],
)
def test_wrong_arguments_get_one_line_and_nonzero_exit(cleanup, args, message):
    cleanup.append("x-dorf")
    result = run("tenants", "create", "--name", "X", *args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert not Tenant.objects.filter(slug="x-dorf").exists()


def test_errors_are_in_the_terminals_language(live_db):
    result = run(
        "tenants",
        "create",
        "--name",
        "X",
        "--slug",
        "alpha",
        "--kind",
        "municipality",
        lang="de_DE.UTF-8",
    )
    assert result.returncode != 0
    assert "Es gibt bereits einen Mandanten" in result.stderr


def test_every_problem_of_a_new_tenant_is_named_in_one_line(cleanup):
    cleanup.append("x-dorf")
    result = run(
        "tenants",
        "create",
        "--name",
        " ",
        "--slug",
        "Bad_Slug",
        "--kind",
        "municipality",
        "--key",
        "1234",
        "--parent",
        "atlantis",
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for problem in ["needs a name", "host label", "8 digits", "atlantis"]:
        assert problem in lines[0]


def test_a_german_terminal_gets_german_successes_and_errors(cleanup):
    cleanup.append("de-dorf")
    created = run(
        "tenants",
        "create",
        "--name",
        "Gemeinde Dedorf",
        "--slug",
        "de-dorf",
        "--kind",
        "municipality",
        lang="de_DE.UTF-8",
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("Gemeinde Dedorf (de-dorf) ist angelegt:")
    suspended = run("tenants", "suspend", "de-dorf", lang="de_DE.UTF-8")
    assert suspended.stdout.strip() == "Gemeinde Dedorf ist gesperrt."
    listed = run("tenants", "list", lang="de_DE.UTF-8")
    assert listed.stdout.startswith("KURZNAME")
    missing = run("tenants", "create", "--name", "X", lang="de_DE.UTF-8")
    assert missing.stderr.strip() == ("portalwerk: Fehler: Diese Angaben fehlen: --slug, --kind")
    refused = run("tenants", "delete", "de-dorf", lang="de_DE.UTF-8")
    assert "Löschen muss bestätigt werden" in refused.stderr


def test_a_terminal_in_another_language_gets_english_throughout(live_db):
    for lang in ["C.UTF-8", "fr_FR.UTF-8"]:
        refused = run(
            "tenants",
            "create",
            "--name",
            "X",
            "--slug",
            "alpha",
            "--kind",
            "municipality",
            lang=lang,
        )
        assert (
            refused.stderr.strip()
            == ("portalwerk: error: slug: A tenant with the slug 'alpha' exists already.")
            or "exists already" in refused.stderr
        ), refused.stderr
        assert "Fehler" not in refused.stderr and "bereits" not in refused.stderr


def test_operator_create_without_password_or_terminal_ends_with_one_line(live_db):
    environment_has_no_password = "PORTALWERK_OPERATOR_PASSWORD" not in os.environ
    assert environment_has_no_password
    result = run("operator", "create", "--email", "new-operator@example.org", stdin="")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "portalwerk: error: no password given: set PORTALWERK_OPERATOR_PASSWORD or run the "
        "command in a terminal to type it"
    ]


def test_unknown_subcommand_argument_is_one_line(live_db):
    result = run("tenants", "suspend")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def _sql(schema: str, statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'SET search_path TO "{schema}"')
        cursor.execute(statement)
        cursor.execute("SET search_path TO public")


def test_migrate_skips_up_to_date_schemas(live_db):
    result = run("tenants", "migrate")
    assert result.returncode == 0, result.stderr
    assert "migrated 0, failed 0" in result.stdout


def test_migrate_repairs_schemas_behind_and_reports_a_failing_one(cleanup):
    # given two tenants: one behind (a table and its migration record gone), one broken (its
    # migration record gone while the table stays, so replaying fails)
    for slug, key in [("behind", "05998020"), ("broken", "05998024")]:
        cleanup.append(slug)
        services.create_tenant(
            actor=system("test"),
            data=services.NewTenant(
                name=slug.title(),
                slug=slug,
                kind="municipality",
                parent_slug="testland",
                official_key=key,
            ),
        )
    _sql("t_behind", "DROP TABLE django_admin_log")
    _sql("t_behind", "DELETE FROM django_migrations WHERE app = 'admin'")
    _sql("t_broken", "DELETE FROM django_migrations WHERE app = 'accounts'")
    # when the operator migrates all tenants in parallel
    result = run("tenants", "migrate", "--parallel", "2")
    # then the healthy-but-behind tenant is repaired, the broken one reported, exit non-zero
    assert result.returncode == 1
    assert "FAILED t_broken" in result.stderr
    assert "migrated 1, failed 1" in result.stdout
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('t_behind.django_admin_log') IS NOT NULL")
        assert cursor.fetchone()[0]
    # and the console's last migrate result of each is this run's
    from portalwerk.tenants import upgrades
    from portalwerk.tenants.models import MigrationRun

    try:
        last = upgrades.last_outcomes(["t_behind", "t_broken"])
        assert last["t_behind"].error == ""
        assert last["t_broken"].error and "\n" not in last["t_broken"].error
        assert last["t_behind"].run.finished_at is not None
    finally:
        MigrationRun.objects.filter(outcomes__schema_name__in=["t_behind", "t_broken"]).delete()


def test_a_database_that_is_not_set_up_is_one_line_not_a_traceback(live_db):
    import psycopg

    settings = connection.settings_dict
    base = f"postgresql://{settings['USER']}:{settings['PASSWORD']}@/"
    with psycopg.connect(f"{base}postgres?host={settings['HOST']}", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS cli_not_set_up")
        conn.execute("CREATE DATABASE cli_not_set_up")
    try:
        env = {**os.environ, "DATABASE_URL": f"{base}cli_not_set_up?host={settings['HOST']}"}
        done = subprocess.run(
            [CLI, "tenants", "list"], env=env, capture_output=True, text=True, timeout=120
        )
    finally:
        with psycopg.connect(f"{base}postgres?host={settings['HOST']}", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS cli_not_set_up WITH (FORCE)")

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("portalwerk: error: the database is not set up yet")
    assert line.endswith("run `portalwerk setup` first.")
