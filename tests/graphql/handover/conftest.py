"""The hand-over fixtures (loopback receiver, test backend, a form with a target, failed and
delivered deliveries) for the API tests."""

from tests.platform.handover.backoffice.conftest import (  # noqa: F401 (fixtures)
    _fresh_rate_limits,
    failed,
    handover_form,
    loopback_backend,
    receiver,
    submit,
    target,
)
