"""Fixtures of the GraphQL tests: posting an operation, signed-in clients, extra personas."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User

OTHER_PASSWORD = "Anderes-Passwort-2026!"


def _post(client, query: str, variables: dict | None = None, **extra) -> dict:
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **extra,
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def gql():
    """gql(client, query, variables) POSTs JSON to /graphql/ on the client's host; the body."""
    return _post


@pytest.fixture(autouse=True)
def _public_schema_around_each_test():
    # Requests switch the shared connection to the host's schema; start and end on `public`.
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()


@pytest.fixture
def signed_in(client_for):
    """signed_in(host_or_tenant, user): a client on that host after a sign-in that worked."""

    def sign_in(host, user: User, password: str | None = None):
        client = client_for(host)
        response = client.sign_in(user.email, *([password] if password else []))
        assert response.status_code == 302, "sign-in failed"
        return client

    return sign_in


@pytest.fixture
def platform_reader_client(platform_tenant, signed_in):
    """Signed in on the platform host as a user who is not an operator (missing permission)."""
    with schema_context(platform_tenant.schema_name):
        reader = User.objects.create_user(
            "reader@platform.example", OTHER_PASSWORD, role=Role.CLERK_READER
        )
    return signed_in(platform_tenant, reader, OTHER_PASSWORD)
