"""Fixtures for the appointments API: the office builder of tests/platform/appointments."""

import pytest
from django.db import connection

from tests.helpers.appointments import make_office


@pytest.fixture
def in_alpha(tenant_a):
    connection.set_tenant(tenant_a)
    yield tenant_a
    connection.set_schema_to_public()


@pytest.fixture
def setup(in_alpha):
    return make_office()
