"""The audit trail of what clerks and finance staff did with payments."""

from __future__ import annotations

from portalwerk.billing.payments.models import AuditEntry, Payment
from portalwerk.platform.authz.actors import Actor, check


def audit(actor: Actor, action: str, payment: Payment | None, **detail) -> AuditEntry:
    check(actor)
    return AuditEntry.objects.create(
        actor=actor.user,
        actor_label=actor.label,
        action=action,
        payment=payment,
        reference=payment.reference if payment else "",
        detail=detail,
    )
