import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the process's cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
