from __future__ import annotations

from typing import Annotated

import strawberry
from django.core.exceptions import ValidationError
from strawberry import Info

from portalwerk.billing.payments import services
from portalwerk.graphql.billing.queries import owned_submissions
from portalwerk.graphql.billing.types import PaymentType
from portalwerk.graphql.core.errors import Payload, run_service
from portalwerk.graphql.core.permissions import AllowAnonymous


@strawberry.type
class StartPaymentPayload(Payload):
    payment: PaymentType | None = None
    checkout_url: str | None = strawberry.field(
        default=None, description="Send the citizen here to pay."
    )


def _start(info: Info, submission_id: str):
    from django.urls import reverse

    from portalwerk.platform.forms.access import get_submission_for

    request = info.context.request
    submission = get_submission_for(request.actor, submission_id, owned_submissions(info))
    return_url = request.build_absolute_uri(
        reverse("payments:pay", kwargs={"reference": submission.reference})
    )
    return services.start_payment(actor=request.actor, submission=submission, return_url=return_url)


@strawberry.type
class StartPaymentMutation:
    @strawberry.mutation(
        permission_classes=[AllowAnonymous],
        description="Start (or resume) paying the fee of the caller's own application; returns "
        "the checkout URL. Anonymous citizens may call it for an application made in the same "
        "browser session.",
    )
    def start_payment(
        self,
        info: Info,
        submission_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The application's reference, as the citizen sees it."),
        ],
    ) -> StartPaymentPayload:
        def call():
            try:
                return _start(info, str(submission_id))
            except ValidationError as exc:
                code = getattr(exc, "code", None)
                if code == "not_found":
                    raise ValidationError(
                        {"submission_id": [ValidationError(exc.messages[0], code=code)]}
                    ) from None
                raise

        outcome = run_service(call)
        payment = outcome.value
        return StartPaymentPayload(
            payment=payment,
            checkout_url=payment.checkout_url if payment is not None else None,
            errors=outcome.errors,
        )
