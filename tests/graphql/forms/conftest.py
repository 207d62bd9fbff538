import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with a cold cache (rate-limit counters are in the database and roll
    back with each test)."""
    from django.core.cache import cache

    cache.clear()
