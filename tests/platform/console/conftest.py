"""Fixtures of the operator console: a signed-in operator on the base host."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _cold_cache():
    from django.core.cache import cache

    cache.clear()  # rate-limit counters of sign-ins


@pytest.fixture
def console(client_for, operator):
    client = client_for("localhost")
    assert client.sign_in(operator.email, PASSWORD).status_code == 302
    return client
