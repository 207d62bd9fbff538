"""Fixtures for the appointments API: the office builder of tests/platform/appointments."""

import sys
from pathlib import Path

import pytest
from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "platform" / "appointments"))

from appointment_helpers import make_office  # noqa: E402


@pytest.fixture
def in_alpha(tenant_a):
    connection.set_tenant(tenant_a)
    yield tenant_a
    connection.set_schema_to_public()


@pytest.fixture
def setup(in_alpha):
    return make_office()
