"""`portalwerk infra` (a subprocess, as an operator runs it) when something is wrong around
Terraform: an operator configuration of the wrong shape, a provider that cannot be found,
Keycloak down. Each is one line on stderr (the log's path with it where Terraform ran), exit
code 2, no traceback and nothing applied; once the cause is gone, an apply completes and makes
nothing twice."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from portalwerk.infra import services
from portalwerk.platform.authz.actors import system

pytestmark = pytest.mark.integration

CLI = str(Path(sys.executable).with_name("portalwerk"))
LDAP_SECRET_ENV = "PORTALWERK_TEST_ALPHA_LDAP_PASSWORD"
USER_STORAGE = "org.keycloak.storage.UserStorageProvider"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def cli(*args: str, **environment: str) -> subprocess.CompletedProcess:
    db = connection.settings_dict
    url = f"postgresql://{db['USER']}:{db['PASSWORD']}@/{db['NAME']}?host={db['HOST']}"
    env = {**os.environ, "DATABASE_URL": url, "LANG": "en_GB.UTF-8", **environment}
    return subprocess.run(
        [CLI, "infra", *args], env=env, capture_output=True, text=True, timeout=300
    )


def one_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("portalwerk: error: ")
    return line


@pytest.fixture
def operator(terraform, keycloak, ldap_directory, settings, tmp_path, live_db, monkeypatch):
    """The identity stack applied; the environment a CLI run needs; a way to write the
    operator's configuration."""
    import components
    import ldap_directory as directories

    realm, master = terraform
    path = tmp_path / "terraform.json"
    path.write_text("{}")
    settings.PORTALWERK_TF_CONFIG = str(path)
    monkeypatch.setenv(LDAP_SECRET_ENV, directories.READER_PASSWORD)
    env = {
        "PORTALWERK_TF_KEYCLOAK_URL": keycloak.server_url,
        "PORTALWERK_TF_KEYCLOAK_ADMIN": "admin",
        "PORTALWERK_TF_KEYCLOAK_ADMIN_PASSWORD": components.KEYCLOAK_ADMIN_PASSWORD,
        "KEYCLOAK_REALM": realm,
        "PORTALWERK_TF_CONFIG": str(path),
    }

    def configure(directory: dict | None) -> None:
        tenants = {"alpha": {"directory": directory}} if directory else {}
        path.write_text(json.dumps({"tenants": tenants}))

    def directory(**changed) -> dict:
        return {
            "url": ldap_directory.url,
            "bind_dn": ldap_directory.reader_dn("alpha"),
            "bind_credential_env": LDAP_SECRET_ENV,
            "users_dn": ldap_directory.people_dn("alpha"),
            "groups_dn": ldap_directory.groups_dn("alpha"),
            **changed,
        }

    actor = system("test")
    services.apply(actor=actor)
    master.change_current_realm(realm)
    yield env, configure, directory, master
    path.write_text("{}")
    services.destroy(actor=actor, slug="alpha")
    services.destroy(actor=actor)


def nothing_of_alpha(master) -> bool:
    return not master.get_organizations({"search": "alpha"}) and "alpha-portal" not in {
        c["clientId"] for c in master.get_clients()
    }


def test_wrong_shapes_are_one_line_and_apply_nothing(operator):
    env, configure, directory, master = operator

    # directory groups given as a list instead of group -> role
    configure(directory(groups=["portal-admin"]))
    line = one_line(cli("apply", "alpha", "--yes", **env))
    assert "directory" in line and "groups" in line and "map of string required" in line

    configure(directory(url="http://directory.example/"))
    line = one_line(cli("apply", "alpha", "--yes", **env))
    assert "ldap://host:port" in line

    configure(directory(groups={"portal-admin": "mayor"}))
    line = one_line(cli("apply", "alpha", "--yes", **env))
    assert "reader, processor, tenant_admin" in line

    configure(directory(bind_credential_env="PORTALWERK_TEST_NOT_SET"))
    line = one_line(cli("apply", "alpha", "--yes", **env))
    assert "PORTALWERK_TEST_NOT_SET" in line and "not set" in line

    Path(env["PORTALWERK_TF_CONFIG"]).write_text("{not json")
    line = one_line(cli("apply", "alpha", "--yes", **env))
    assert "is not JSON" in line

    assert nothing_of_alpha(master)


def test_a_provider_not_in_the_mirror_is_named_with_how_to_build_it(operator, tmp_path):
    env, _configure, _directory, master = operator
    (tmp_path / "mirror").mkdir()
    (tmp_path / "sources").mkdir()

    line = one_line(
        cli(
            "apply",
            "alpha",
            "--yes",
            PORTALWERK_TF_PROVIDER_MIRROR=str(tmp_path / "mirror"),
            PORTALWERK_TF_PROVIDER_SOURCES=str(tmp_path / "sources"),
            **env,
        )
    )

    assert "keycloak/keycloak 5.9.0" in line
    assert "python -m portalwerk.infra.providers" in line
    assert "full log: " in line and Path(line.split("full log: ")[1]).is_file()
    assert nothing_of_alpha(master)


def test_keycloak_down_is_one_line_and_a_later_apply_makes_nothing_twice(operator, monkeypatch):
    env, configure, directory, master = operator
    configure(directory())

    down = {**env, "PORTALWERK_TF_KEYCLOAK_URL": f"http://127.0.0.1:{closed_port()}"}
    line = one_line(cli("apply", "alpha", "--yes", **down))
    assert "connection refused" in line.lower()
    log = Path(line.split("full log: ")[1])
    assert log.is_file() and "connection refused" in log.read_text().lower()
    assert nothing_of_alpha(master)

    # applied once while Keycloak answers, then again with Keycloak gone, then once more
    first = cli("apply", "alpha", "--yes", **env)
    assert first.returncode == 0, first.stderr
    assert "client alpha-portal, its secret: terraform:tenant/alpha#client_secret" in first.stdout
    one_line(cli("apply", "alpha", "--yes", **down))
    again = cli("apply", "alpha", "--yes", **env)

    assert again.returncode == 0, again.stderr
    assert "0 to add, 0 to change, 0 to destroy" in again.stdout
    assert len(master.get_organizations({"search": "alpha"})) == 1
    assert [c["clientId"] for c in master.get_clients()].count("alpha-portal") == 1
    assert len(master.get_components({"name": "alpha", "type": USER_STORAGE})) == 1

    # offboarding needs no secret: the directory's password may be gone by then
    monkeypatch.delenv(LDAP_SECRET_ENV)
    gone = cli("destroy", "alpha", "--yes", **env)
    assert gone.returncode == 0, gone.stderr
    assert nothing_of_alpha(master)
    assert not master.get_components({"name": "alpha", "type": USER_STORAGE})


def test_keycloak_going_away_mid_apply_leaves_a_state_the_next_apply_completes(
    operator, keycloak, settings
):
    from urllib.parse import urlparse

    from keycloak_going_away import GoingAway

    from portalwerk.infra.errors import InfraError

    env, configure, directory, master = operator
    configure(directory())
    # the directory groups' roles are among the last requests of a tenant's first apply
    proxy = GoingAway(urlparse(keycloak.server_url).port, trigger=b"/role-mappings/")
    settings.PORTALWERK_TF_KEYCLOAK_URL = proxy.url
    try:
        with pytest.raises(InfraError) as failed:
            services.apply(actor=system("test"), slug="alpha")
    finally:
        proxy.close()
        settings.PORTALWERK_TF_KEYCLOAK_URL = keycloak.server_url

    assert proxy.gone.is_set()
    assert "\n" not in failed.value.message and failed.value.log
    # made before Keycloak went away
    assert len(master.get_organizations({"search": "alpha"})) == 1
    admin_group = master.get_group_by_path("/alpha/portal-admin")
    platform_client = master.get_client_id("portalwerk-portal")
    assert not master.get_group_client_roles(admin_group["id"], platform_client)

    services.apply(actor=system("test"), slug="alpha")

    assert len(master.get_organizations({"search": "alpha"})) == 1
    assert [c["clientId"] for c in master.get_clients()].count("alpha-portal") == 1
    held = master.get_group_client_roles(admin_group["id"], platform_client)
    assert [role["name"] for role in held] == ["alpha:tenant_admin"]
    assert services.plan("alpha").in_sync
