"""Fixtures shared by every area: the test tenants (created once per run), personas, clients."""

from __future__ import annotations

import os

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from portalwerk.platform import embedded_db, env
from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.authz.actors import system
from portalwerk.tenants import routing, services
from portalwerk.tenants.models import Tenant

PASSWORD = "Test-Passwort-2026!"

TEST_TENANTS = [
    services.NewTenant(
        name="Kreis Testland", slug="testland", kind="district", official_key="05998000"
    ),
    services.NewTenant(
        name="Stadt Alpha",
        slug="alpha",
        kind="municipality",
        parent_slug="testland",
        official_key="05998004",
    ),
    services.NewTenant(
        name="Gemeinde Beta",
        slug="beta",
        kind="municipality",
        parent_slug="testland",
        official_key="05998008",
    ),
]


def pytest_unconfigure(config):
    if os.environ.get("PORTALWERK_TEST_PG_STARTED"):
        from django.db import connections

        connections.close_all()
        embedded_db.stop(env.home() / "test-pg")


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """The test database, with the test tenants' schemas cloned once per run. Tests using `db`
    roll back what they change; tests using `live_db` clean up after themselves."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        services.ensure_platform_tenant()
        for data in TEST_TENANTS:
            if not Tenant.objects.filter(slug=data.slug).exists():
                services.create_tenant(actor=system("tests"), data=data)
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        # Job workers and live servers ran in threads whose connections outlive them.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connection.close()
        teardown_databases(config, verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_routing_state():
    """Each test starts in the public schema with a cold host cache, as a new process would."""
    from django.db import connection

    routing.forget()
    connection.set_schema_to_public()
    yield
    routing.forget()
    connection.set_schema_to_public()


@pytest.fixture
def district(db) -> Tenant:
    return Tenant.objects.get(slug="testland")


@pytest.fixture
def tenant_a(db) -> Tenant:
    return Tenant.objects.get(slug="alpha")


@pytest.fixture
def tenant_b(db) -> Tenant:
    return Tenant.objects.get(slug="beta")


@pytest.fixture
def platform_tenant(db) -> Tenant:
    return Tenant.objects.get(schema_name="public")


def host_of(tenant: Tenant) -> str:
    return tenant.domains.get(is_primary=True).domain


def make_user(tenant: Tenant, email: str, role: str) -> User:
    with schema_context(tenant.schema_name):
        return User.objects.create_user(email, PASSWORD, role=role, full_name=email.split("@")[0])


@pytest.fixture
def citizen(tenant_a) -> User:
    return make_user(tenant_a, "citizen@alpha.example", Role.CITIZEN)


@pytest.fixture
def clerk(tenant_a) -> User:
    return make_user(tenant_a, "clerk@alpha.example", Role.CLERK_PROCESSOR)


@pytest.fixture
def tenant_admin(tenant_a) -> User:
    return make_user(tenant_a, "admin@alpha.example", Role.TENANT_ADMIN)


@pytest.fixture
def other_tenant_clerk(tenant_b) -> User:
    return make_user(tenant_b, "clerk@beta.example", Role.CLERK_PROCESSOR)


@pytest.fixture
def operator(platform_tenant) -> User:
    return make_user(platform_tenant, "operator@platform.example", Role.OPERATOR)


class TenantClient(Client):
    """A browser on one host: every request carries that Host header."""

    def __init__(self, host: str, **kwargs):
        super().__init__(HTTP_HOST=host, **kwargs)
        self.host = host

    def sign_in(self, email: str, password: str = PASSWORD):
        return self.post("/accounts/sign-in/", {"email": email, "password": password})


@pytest.fixture
def client_for(db):
    def make(tenant_or_host) -> TenantClient:
        host = tenant_or_host if isinstance(tenant_or_host, str) else host_of(tenant_or_host)
        return TenantClient(host)

    return make


@pytest.fixture
def live_db(django_db_setup, django_db_blocker):
    """Database access without a wrapping transaction, for tests whose other party (a CLI
    subprocess, a job worker, a second connection) must see committed rows. Such a test cleans
    up what it made."""
    from django.db import connection

    with django_db_blocker.unblock():
        # A browser suite's teardown may have ended this thread's session from the server side.
        if connection.connection is not None and not connection.is_usable():
            connection.close()
        yield
        connection.set_schema_to_public()
        from portalwerk.platform.catalog import pagecache

        pagecache.clear()  # pages the other party rendered and committed


@pytest.fixture(scope="session")
def keycloak(django_db_setup):
    """A real Keycloak for the whole run (started once, when the first test asks), with the
    realm, client, roles and one organization per test tenant (tests/keycloak_realm.py)."""
    import sys
    from urllib.parse import urlparse

    import components
    import keycloak_realm
    import state_accounts
    from django.conf import settings

    server = components.KeycloakServer(port=urlparse(settings.KEYCLOAK_SERVER_URL).port)
    server.start()
    sys.stderr.write(
        f"\nKeycloak {components.KEYCLOAK_VERSION} was ready after {server.started_in:.1f} s\n"
    )
    try:
        realm = keycloak_realm.make_realm(
            server.url,
            components.KEYCLOAK_ADMIN_PASSWORD,
            tenant_slugs=[data.slug for data in TEST_TENANTS],
            redirect_hosts=[f"http://{data.slug}.localhost" for data in TEST_TENANTS]
            + ["http://localhost"],
            back_channel_url="http://localhost/accounts/keycloak/back-channel-logout/",
        )
        state_accounts.add_state_accounts(realm, components.KEYCLOAK_ADMIN_PASSWORD)
        yield realm
    finally:
        server.stop()


@pytest.fixture(scope="session")
def ldap_directory():
    """A real OpenLDAP server for the whole run with one directory per test tenant
    (tests/ldap_directory.py); skipped loudly without slapd, failed under REQUIRE_ALL."""
    import ldap_directory as directories

    directory = directories.Directory.start([data.slug for data in TEST_TENANTS])
    try:
        yield directory
    finally:
        directory.stop()


@pytest.fixture(scope="session")
def federated_directories(keycloak, ldap_directory):
    """Keycloak federates each test tenant's directory (an LDAP provider per tenant whose
    groups map to the tenant's roles): the directory, and each slug's component id."""
    import ldap_directory as directories

    components = {
        data.slug: directories.federate(keycloak, ldap_directory, data.slug)
        for data in TEST_TENANTS
    }
    return ldap_directory, components
