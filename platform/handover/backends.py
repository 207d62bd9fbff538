"""The interface every hand-over backend implements.

A backend is a plugin (`@backends.register("webhook")` in its package's `backend.py`). A tenant
adds targets of it, each with settings the backend's `config_form` asks for and validates; the
settings reach `deliver` and `check_target` as the form's cleaned data (a dict of JSON values).

`deliver` sends one parcel and returns what the receiver said, or raises `DeliveryError`. It is
called again with the same parcel (same idempotency key) after a timeout, a killed worker or a
clerk's retry, so it must let the receiver recognise a parcel it already has."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django import forms
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.handover.parcel import Parcel
from portalwerk.platform.plugins import Plugin, PluginUnavailable


class BackendUnavailable(PluginUnavailable):
    """No hand-over backend of that name is enabled on this installation."""


class Problem(StrEnum):
    """Why a delivery did not go through, as clerks read it (`describe`)."""

    UNREACHABLE = "unreachable"  # no connection (refused, DNS, TLS)
    TIMEOUT = "timeout"  # no answer in time; the receiver may have stored it
    RECEIVER_ERROR = "receiver_error"  # the receiver failed (HTTP 5xx, SOAP server fault)
    REFUSED = "refused"  # the receiver refused the parcel (HTTP 4xx, SOAP client fault)
    UNAUTHORISED = "unauthorised"  # credentials or signature not accepted
    TOO_LARGE = "too_large"  # the receiver, or a limit of ours, does not take its size
    INVALID = "invalid"  # what we made does not satisfy the receiver's schema
    CONFIGURATION = "configuration"  # the target's settings cannot work
    INTERNAL = "internal"  # a fault of ours; reported to Sentry


DESCRIPTIONS = {
    Problem.UNREACHABLE: _("The receiving system could not be reached."),
    Problem.TIMEOUT: _("The receiving system did not answer in time."),
    Problem.RECEIVER_ERROR: _("The receiving system reported an error of its own."),
    Problem.REFUSED: _("The receiving system refused the application."),
    Problem.UNAUTHORISED: _("The receiving system did not accept our credentials."),
    Problem.TOO_LARGE: _("The application is too large for the receiving system."),
    Problem.INVALID: _("The data did not match what the receiving system expects."),
    Problem.CONFIGURATION: _(
        "The settings of this target cannot work; a tenant admin must fix them."
    ),
    Problem.INTERNAL: _("An error on our side; the platform operator has been told."),
}


def describe(problem: str) -> str:
    try:
        return str(DESCRIPTIONS[Problem(problem)])
    except ValueError:
        return str(DESCRIPTIONS[Problem.INTERNAL])


class DeliveryError(Exception):
    """A delivery that did not go through. `detail` is technical and holds no personal data
    (an HTTP status, a fault string), shown to clerks below the plain description. `retry`
    says whether trying again later can help (a timeout can; a refusal cannot)."""

    def __init__(self, problem: Problem, detail: str = "", *, retry: bool | None = None):
        self.problem = Problem(problem)
        self.detail = detail[:500]
        self.retry = (
            retry
            if retry is not None
            else self.problem in (Problem.UNREACHABLE, Problem.TIMEOUT, Problem.RECEIVER_ERROR)
        )
        super().__init__(f"{self.problem}: {self.detail}" if self.detail else str(self.problem))


@dataclass(frozen=True)
class Delivered:
    """What the receiver answered: its own id for the parcel (a case number, a file path)."""

    receiver_reference: str = ""


class HandoverBackend(Plugin):
    #: the settings of one target; `cleaned_data` is stored (JSON) and passed back as `config`
    config_form: type[forms.Form] = forms.Form
    #: fields of `config_form` never shown again once saved (passwords, secrets)
    secret_fields: tuple[str, ...] = ()

    def deliver(self, parcel: Parcel, config: Mapping) -> Delivered:
        raise NotImplementedError

    def check_target(self, config: Mapping) -> list[str]:
        """Problems with one target's settings, in sentences a tenant admin can act on (for
        example that the address cannot be reached); empty when it looks fine. May use the
        network, with a short timeout."""
        return []
