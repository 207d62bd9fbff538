"""Fixtures for data sources: the loopback servers (one per test: they count requests) and a
way to make a source through the service, as the back office does."""

from __future__ import annotations

import pytest

from tests.helpers.sources import JsonServer, SoapServer


@pytest.fixture
def json_server():
    with JsonServer() as server:
        yield server


@pytest.fixture
def soap_server():
    with SoapServer() as server:
        yield server


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.PORTALWERK_DATASOURCE_MAX_BYTES = 20_000
    settings.PORTALWERK_DATASOURCE_MAX_OPTIONS = 50
