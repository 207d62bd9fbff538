from __future__ import annotations

from typing import Annotated

import strawberry
from django.core.exceptions import ValidationError
from django.urls import reverse
from strawberry import Info

from portalwerk.billing.payments import services
from portalwerk.graphql.billing.errors import PaymentError
from portalwerk.graphql.billing.queries import owned_submissions
from portalwerk.graphql.billing.types import PaymentType
from portalwerk.graphql.core import ids
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.core.permissions import AllowAnonymous
from portalwerk.platform.forms.access import get_submission_for


@strawberry.type
class StartPaymentPayload:
    errors: list[PaymentError] = strawberry.field(
        default_factory=list, description="Empty when the mutation succeeded."
    )
    payment: PaymentType | None = None
    checkout_url: str | None = strawberry.field(
        default=None, description="Send the citizen here to pay."
    )


@mutation(
    permission=AllowAnonymous,
    description="Start (or resume) paying the fee of the caller's own application; returns "
    "the checkout URL. Anonymous citizens may call it for an application made in the same "
    "browser session.",
)
def start_payment(
    info: Info,
    submission_reference: Annotated[
        str, strawberry.argument(description="The application's reference, as the citizen sees it.")
    ],
) -> StartPaymentPayload:
    request = info.context.request
    try:
        submission = get_submission_for(
            request.actor, submission_reference, owned_submissions(info)
        )
    except ValidationError:
        raise ids.NotFound("submission_reference") from None
    return_url = request.build_absolute_uri(
        reverse("payments:pay", kwargs={"reference": submission.reference})
    )
    payment = services.start_payment(
        actor=request.actor, submission=submission, return_url=return_url
    )
    return StartPaymentPayload(payment=payment, checkout_url=payment.checkout_url)
