"""Fixtures for appointments: tenant alpha's schema and an office in it."""

import pytest
from django.db import connection

from tests.helpers.appointments import Setup, make_office


@pytest.fixture
def in_alpha(tenant_a):
    """Run the test in tenant alpha's schema (inside the `db` transaction)."""
    connection.set_tenant(tenant_a)
    yield tenant_a
    connection.set_schema_to_public()


@pytest.fixture
def setup(in_alpha) -> Setup:
    return make_office()


@pytest.fixture
def client_for(client_for):
    """Browsers that ask for English: the tests read English text, which stays true once the
    German catalogue translates these pages."""

    def make(tenant_or_host):
        client = client_for(tenant_or_host)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make
