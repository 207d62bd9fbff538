"""The audit trail of what clerks and finance staff did with payments."""

from __future__ import annotations

from portalwerk.billing.payments.models import AuditEntry, Payment


def audit(actor, action: str, payment: Payment | None, **detail) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "email", "") or str(actor),
        action=action,
        payment=payment,
        reference=payment.reference if payment else "",
        detail=detail,
    )
