"""The `stripe` provider. Each payment is a Checkout Session created *on the tenant's connected
account* (the `Stripe-Account` header: a direct charge), so the municipality is the merchant of
record; the platform may take an application fee. Card and SEPA Direct Debit; SEPA confirms days
later, which arrives as `checkout.session.async_payment_succeeded` / `…_failed`.

The SDK is used here and nowhere else; everything that leaves this module is a dataclass of
`billing.providers.base`."""

from __future__ import annotations

import datetime
import json
import logging
import re
import time
from collections.abc import Mapping

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from portalwerk.billing.providers.base import (
    Checkout,
    CheckoutRequest,
    InvalidEvent,
    PaymentProvider,
    ProviderError,
    ProviderEvent,
    RefundRequest,
    RefundResult,
    RemoteState,
    RemoteStatus,
)
from portalwerk.billing.providers.registry import providers

log = logging.getLogger(__name__)

WEBHOOK_TOLERANCE_SECONDS = 300  # Stripe's replay tolerance: 5 minutes
# A connected account's id as Stripe issues them; anything else would only fail at checkout time.
ACCOUNT_ID = re.compile(r"acct_[A-Za-z0-9]{1,250}")
CHECKOUT_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
}


def _when(timestamp) -> datetime.datetime | None:
    if not timestamp:
        return None
    try:
        return datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise InvalidEvent("event with an impossible creation time") from None


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _refuse_future_timestamp(signature: str) -> None:
    """The SDK refuses signatures older than the tolerance but not ones dated in the future; a
    signature made ahead of time would stay replayable until then, so refuse those as well."""
    stamps = [part[2:] for part in signature.split(",") if part.strip().startswith("t=")]
    try:
        signed_at = int(stamps[0].strip())
    except (IndexError, ValueError):
        raise InvalidEvent("signature: no timestamp") from None
    if signed_at > time.time() + WEBHOOK_TOLERANCE_SECONDS:
        raise InvalidEvent("signature: timestamp in the future")


def _event_dict(payload: bytes) -> dict:
    """The event as plain JSON. Only a few top-level fields are read, so the SDK's recursive
    object wrapping is skipped; a body nested too deeply for the parser is refused, not a 500."""
    try:
        event = json.loads(payload)
    except (ValueError, RecursionError):
        raise InvalidEvent("payload is not a Stripe event") from None
    if not isinstance(event, dict):
        raise InvalidEvent("payload is not a Stripe event")
    return event


@providers.register("stripe")
class StripeProvider(PaymentProvider):
    label = "Stripe"
    has_accounts = True
    signs_webhooks = True

    def check_config(self) -> list[str]:
        problems = []
        key = settings.STRIPE_SECRET_KEY
        if not key:
            problems.append("STRIPE_SECRET_KEY is not set.")
        elif not key.startswith(("sk_", "rk_")):
            problems.append("STRIPE_SECRET_KEY must be a secret or restricted key (sk_… / rk_…).")
        if not settings.STRIPE_WEBHOOK_SECRET:
            problems.append("STRIPE_WEBHOOK_SECRET is not set; webhooks cannot be verified.")
        elif not settings.STRIPE_WEBHOOK_SECRET.startswith("whsec_"):
            problems.append("STRIPE_WEBHOOK_SECRET must start with whsec_.")
        return problems

    def account_id_problem(self, account_id: str) -> str | None:
        if not ACCOUNT_ID.fullmatch(account_id or ""):
            return _("A Stripe account id starts with acct_.")
        return None

    def account_problem(self, account_id: str) -> str | None:
        """Read the account back as the platform: Stripe answers only for accounts connected to
        the platform's Connect account (anything else is "no access"), and says whether it may
        take charges yet. The platform's own account is not a connected account."""
        problem = self.account_id_problem(account_id)
        if problem:
            return problem
        client = self._client()
        try:
            account = client.v1.accounts.retrieve(account_id).to_dict()
            platform = client.v1.accounts.retrieve_current().to_dict()
        except stripe.AuthenticationError:
            raise ProviderError("Stripe refused the platform's key.") from None
        except (stripe.PermissionError, stripe.InvalidRequestError):
            # Stripe's answer for an id it does not know and for an account of another
            # platform alike: "no access"
            return _("Stripe does not know this account as one connected to this platform.")
        except stripe.StripeError as exc:
            raise ProviderError(f"Stripe could not be asked: {type(exc).__name__}") from None
        if account.get("id") != account_id:
            return _("Stripe does not know this account as one connected to this platform.")
        if platform.get("id") == account_id:
            return _("This is the platform's own Stripe account, not the office's connected one.")
        if not account.get("charges_enabled"):
            return _(
                "Stripe does not allow this account to take payments yet. Finish setting it "
                "up at Stripe, then connect it again."
            )
        return None

    def expire_checkout(self, provider_ref: str, *, account_id: str = "") -> None:
        try:
            self._client().v1.checkout.sessions.expire(
                provider_ref, options=self._options(account_id)
            )
        except stripe.StripeError as exc:
            raise ProviderError(
                f"Stripe did not close the checkout: {exc.code or type(exc).__name__}"
            ) from None

    def _client(self) -> stripe.StripeClient:
        if not settings.STRIPE_SECRET_KEY:
            raise ProviderError("Stripe is not configured (STRIPE_SECRET_KEY).")
        base = settings.STRIPE_API_BASE
        return stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            base_addresses={"api": base} if base else {},
            max_network_retries=2,
            http_client=stripe.new_default_http_client(timeout=20),
        )

    @staticmethod
    def _options(account_id: str, idempotency_key: str = "") -> dict:
        if not account_id:
            raise ProviderError("This office has not connected a Stripe account.")
        options: dict = {"stripe_account": account_id}
        if idempotency_key:
            options["idempotency_key"] = idempotency_key
        return options

    def create_checkout(self, request: CheckoutRequest) -> Checkout:
        metadata = {
            "portalwerk_payment": request.payment_id,
            "reference": request.reference,
            **dict(request.metadata),
        }
        intent: dict = {"description": request.description[:1000], "metadata": metadata}
        if request.application_fee_cents:
            intent["application_fee_amount"] = request.application_fee_cents
        params: dict = {
            "mode": "payment",
            "payment_method_types": list(request.methods),
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": request.currency.lower(),
                        "unit_amount": request.amount_cents,
                        "product_data": {"name": request.description[:250] or request.reference},
                    },
                }
            ],
            "client_reference_id": request.payment_id,
            "metadata": metadata,
            "payment_intent_data": intent,
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
        }
        if request.customer_email:
            params["customer_email"] = request.customer_email
        try:
            session = self._client().v1.checkout.sessions.create(
                params=params, options=self._options(request.account_id, request.idempotency_key)
            )
        except stripe.StripeError as exc:
            raise ProviderError(
                f"Stripe refused the checkout: {exc.code or type(exc).__name__}"
            ) from None
        return Checkout(
            provider_ref=session.id, url=session.url, expires_at=_when(session.expires_at)
        )

    def fetch_state(self, provider_ref: str, *, account_id: str = "") -> RemoteState:
        try:
            session = self._client().v1.checkout.sessions.retrieve(
                provider_ref,
                params={"expand": ["payment_intent"]},
                options=self._options(account_id),
            )
        except stripe.StripeError as exc:
            raise ProviderError(
                f"Stripe could not read the checkout: {type(exc).__name__}"
            ) from None
        session = session.to_dict()
        intent = session.get("payment_intent")
        intent_status = ""
        intent_id = ""
        fee = 0
        method = ""
        failure = ""
        if isinstance(intent, dict):
            intent_status = intent.get("status") or ""
            intent_id = intent.get("id") or ""
            fee = intent.get("application_fee_amount") or 0
            types = intent.get("payment_method_types") or []
            method = types[0] if len(types) == 1 else ""
            error = intent.get("last_payment_error")
            if error:
                failure = error.get("code") or error.get("decline_code") or "payment_failed"
        elif isinstance(intent, str):
            intent_id = intent
        session_status = session.get("status")
        payment_status = session.get("payment_status")
        if session_status == "expired":
            status = RemoteStatus.EXPIRED
        elif payment_status == "paid" or intent_status == "succeeded":
            status = RemoteStatus.PAID
        elif session_status == "complete":
            if intent_status in ("canceled", "requires_payment_method"):
                status = RemoteStatus.FAILED  # e.g. a SEPA debit that bounced days later
            else:
                status = RemoteStatus.PROCESSING
        else:
            status = RemoteStatus.OPEN
        return RemoteState(
            provider_ref=session["id"],
            status=status,
            amount_cents=session.get("amount_total"),
            application_fee_cents=fee,
            provider_payment_id=intent_id,
            method=method,
            failure_reason=failure if status == RemoteStatus.FAILED else "",
        )

    def refund(self, request: RefundRequest) -> RefundResult:
        if not request.provider_payment_id:
            raise ProviderError("The payment has no Stripe PaymentIntent to refund.")
        try:
            refund = self._client().v1.refunds.create(
                params={
                    "payment_intent": request.provider_payment_id,
                    "amount": request.amount_cents,
                    "metadata": dict(request.metadata),
                },
                options=self._options(request.account_id, request.idempotency_key),
            )
        except stripe.StripeError as exc:
            raise ProviderError(
                f"Stripe refused the refund: {exc.code or type(exc).__name__}"
            ) from None
        return RefundResult(
            provider_ref=refund.id,
            succeeded=refund.status in ("succeeded", "pending"),
            status=refund.status or "",
        )

    def parse_webhook(self, payload: bytes, headers: Mapping[str, str]) -> ProviderEvent:
        secret = settings.STRIPE_WEBHOOK_SECRET
        if not secret:
            raise InvalidEvent("STRIPE_WEBHOOK_SECRET is not set")
        signature = headers.get("Stripe-Signature") or headers.get("stripe-signature") or ""
        if not signature:
            raise InvalidEvent("no Stripe-Signature header")
        try:
            stripe.WebhookSignature.verify_header(
                payload, signature, secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
            )
        except stripe.SignatureVerificationError as exc:
            raise InvalidEvent(f"signature: {exc.user_message or 'not valid'}") from None
        except ValueError:
            raise InvalidEvent("payload is not text") from None
        _refuse_future_timestamp(signature)
        event = _event_dict(payload)
        event_id = event.get("id")
        if not isinstance(event_id, str) or not event_id.startswith("evt_"):
            raise InvalidEvent("event without an id")
        data = event.get("data")
        obj = data.get("object") if isinstance(data, dict) else None
        obj = obj if isinstance(obj, dict) else {}
        ref = ""
        if event.get("type") in CHECKOUT_EVENTS and obj.get("object") == "checkout.session":
            ref = obj.get("id") if isinstance(obj.get("id"), str) else ""
        return ProviderEvent(
            event_id=event_id,
            type=_text(event.get("type")),
            provider_ref=ref,
            account_id=_text(event.get("account")),
            created=_when(event.get("created")),
        )
