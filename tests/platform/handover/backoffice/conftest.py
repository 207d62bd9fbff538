"""Fixtures of the back-office hand-over tests: a real HTTP receiver on loopback, the test
backend that delivers to it, a form without a fee with a target, and submissions of it."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.forms.models import Submission
from portalwerk.platform.handover import targets
from portalwerk.platform.handover.models import Delivery, Target
from tests.helpers.forms import PERSON_STEP, make_submission, publish_form, run_jobs
from tests.helpers.loopback_receiver import Receiver

PERSON = {"person": {"first_name": "Erika", "last_name": "Muster", "email": "erika@example.org"}}


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def loopback_backend(settings):
    """Switches the test backend on (the registry reads the setting on every call)."""
    packages = dict(settings.PORTALWERK_PLUGINS)
    packages["handover"] = [*packages.get("handover", []), "tests.helpers.loopback_backend"]
    settings.PORTALWERK_PLUGINS = packages
    settings.PORTALWERK_HANDOVER_MAX_ATTEMPTS = 2


@pytest.fixture
def handover_form(tenant_a, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with schema_context(tenant_a.schema_name):
        return publish_form(
            clerk, "fishing", {"de": "Angelschein", "en": "Fishing"}, {"steps": [PERSON_STEP]}
        )


@pytest.fixture
def target(tenant_a, tenant_admin, receiver, loopback_backend, handover_form) -> Target:
    with schema_context(tenant_a.schema_name):
        return targets.add_target(
            actor=from_user(tenant_admin),
            backend="loopback",
            name="Fachverfahren",
            config={"url": receiver.url, "token": receiver.token, "timeout": "3"},
            form_ids=[handover_form.pk],
        )


@pytest.fixture
def submit(tenant_a, handover_form, target):
    """submit(): a citizen's submission of the form, its deliveries sent once (run_jobs)."""

    def make(*, send: bool = True) -> Submission:
        with schema_context(tenant_a.schema_name):
            submission = make_submission(handover_form, from_user(None), PERSON)
            if send:
                run_jobs("deliver")
            return submission

    return make


def delivery_of(tenant, submission) -> Delivery:
    with schema_context(tenant.schema_name):
        return Delivery.objects.select_related("target", "submission").get(submission=submission)


@pytest.fixture
def failed(tenant_a, submit, receiver):
    """A delivery that failed for good: the receiver answered 500 on both attempts."""
    receiver.fail_with = 500
    submission = submit()
    with schema_context(tenant_a.schema_name):
        run_jobs("deliver")  # the second attempt, scheduled with back-off
    receiver.fail_with = None
    delivery = delivery_of(tenant_a, submission)
    assert delivery.status == "failed", delivery.status
    return delivery


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
