import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _in_english():
    """The steps' lines are recorded in the language active when they run: English here, as
    the assertions read them, whatever language an earlier test left active."""
    with translation.override("en"):
        yield
