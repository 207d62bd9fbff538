"""The payment provider interface. Providers exchange these dataclasses, never SDK objects."""

from __future__ import annotations

import abc
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from portalwerk.platform.plugins import Plugin, PluginUnavailable


class RemoteStatus(StrEnum):
    """What the provider says about a checkout when asked (re-read, never taken from an event)."""

    OPEN = "open"  # the citizen has not finished the checkout yet
    PROCESSING = "processing"  # finished, money not confirmed yet (SEPA Direct Debit: days)
    PAID = "paid"
    FAILED = "failed"
    EXPIRED = "expired"


class ProviderError(Exception):
    """The provider could not be reached or refused the request. The message holds no personal
    data and may be logged."""


class ProviderUnavailable(PluginUnavailable, ProviderError):
    """The provider is not enabled here (e.g. the demo provider in production): callers that
    handle a provider that cannot be reached handle this too."""


class InvalidEvent(Exception):
    """A webhook delivery that is forged, stale or malformed."""


@dataclass(frozen=True)
class CheckoutRequest:
    payment_id: str  # our payment's UUID
    reference: str  # the payment reference (Kassenzeichen)
    amount_cents: int
    currency: str
    description: str  # the booking text
    success_url: str
    cancel_url: str
    idempotency_key: str
    account_id: str = ""  # the tenant's connected account, when the provider has accounts
    application_fee_cents: int = 0
    customer_email: str = ""
    methods: tuple[str, ...] = ("card", "sepa_debit")
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Checkout:
    provider_ref: str  # the provider's id of the checkout (a Stripe Checkout Session id)
    url: str  # where the citizen pays
    expires_at: datetime.datetime | None = None


@dataclass(frozen=True)
class RemoteState:
    provider_ref: str
    status: RemoteStatus
    amount_cents: int | None = None
    application_fee_cents: int = 0
    provider_payment_id: str = ""  # e.g. the Stripe PaymentIntent id, needed for refunds
    method: str = ""  # card, sepa_debit, demo …
    failure_reason: str = ""


@dataclass(frozen=True)
class ProviderEvent:
    """A notification from the provider that something about a checkout changed. It only says
    *which* checkout to re-read; what changed is always read back from the provider."""

    event_id: str
    type: str
    provider_ref: str  # the checkout it is about ("" when it is about nothing we track)
    account_id: str = ""
    created: datetime.datetime | None = None


@dataclass(frozen=True)
class RefundRequest:
    provider_ref: str
    provider_payment_id: str
    amount_cents: int
    idempotency_key: str
    account_id: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RefundResult:
    provider_ref: str
    succeeded: bool
    status: str = ""


class PaymentProvider(Plugin, abc.ABC):
    """One payment provider. Instances are cheap and hold no request state."""

    has_accounts: bool = False  # True when each tenant connects its own merchant account
    signs_webhooks: bool = False

    @abc.abstractmethod
    def check_config(self) -> list[str]:
        """Problems with the configuration, in words an operator can act on; empty when fine."""

    def account_id_problem(self, account_id: str) -> str | None:
        """Why `account_id` cannot be this provider's account for a tenant (a sentence for the
        tenant admin, translated), or None when it can."""
        return None

    def account_problem(self, account_id: str) -> str | None:
        """Ask the provider whether `account_id` can take this platform's payments now: why not
        (a sentence for the tenant admin, translated), or None when it can. Raises ProviderError
        when the provider cannot be asked (not configured, not reachable)."""
        return self.account_id_problem(account_id)

    def expire_checkout(self, provider_ref: str, *, account_id: str = "") -> None:
        """Close an open checkout so it can no longer be paid (before a new one replaces it).
        Raises ProviderError when the provider refuses or cannot be reached."""

    @abc.abstractmethod
    def create_checkout(self, request: CheckoutRequest) -> Checkout:
        """Start a checkout. Called again with the same idempotency key, it returns the same
        checkout instead of a second one."""

    @abc.abstractmethod
    def fetch_state(self, provider_ref: str, *, account_id: str = "") -> RemoteState:
        """Read the checkout's current state back from the provider."""

    @abc.abstractmethod
    def refund(self, request: RefundRequest) -> RefundResult:
        """Refund all or part of a paid checkout, once per idempotency key."""

    def parse_webhook(self, payload: bytes, headers: Mapping[str, str]) -> ProviderEvent:
        """Verify and read a webhook delivery; raise InvalidEvent when it is not genuine."""
        raise InvalidEvent(f"{self.name} does not send webhooks")
