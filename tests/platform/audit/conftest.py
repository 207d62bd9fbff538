"""Fixtures for the audit trail: clients signed in on a tenant host."""

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def signed_in(client_for):
    def make(tenant, user, language: str = "en"):
        client = client_for(tenant)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        response = client.sign_in(user.email, PASSWORD)
        assert response.status_code == 302, response.content[:500]
        return client

    return make
