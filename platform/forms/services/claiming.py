"""Submissions made without an account join the account of the same, verified address, once its
owner confirms which (never silently: a shared family address is not one person)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record_many
from portalwerk.platform.authz.actors import Actor, user_of
from portalwerk.platform.forms.errors import FormErrorCode as Code
from portalwerk.platform.forms.models import Submission
from portalwerk.platform.forms.services.checks import _error


def claimable_submissions(actor: Actor) -> QuerySet[Submission]:
    """Submissions without an account made with the signed-in user's address, once that address
    is verified (nothing otherwise: anyone can sign up with any address)."""
    user = user_of(actor)
    if user is None or not user.email_verified or not user.email:
        return Submission.objects.none()
    return (
        Submission.objects.filter(
            user__isnull=True, email__iexact=user.email, anonymised_at__isnull=True
        )
        .select_related("form")
        .order_by("-submitted_at")
    )


@transaction.atomic
def claim_submissions(*, actor: Actor, references: Iterable[str]) -> list[Submission]:
    """Add the chosen submissions (out of `claimable_submissions`) to the account; audited."""
    user = user_of(actor)
    if user is None:
        raise _error(Code.PERMISSION_DENIED, _("Please sign in first."))
    # a NUL names no application (and PostgreSQL refuses it in a query)
    chosen = {str(r) for r in references if "\x00" not in str(r)}
    rows = list(
        claimable_submissions(actor).select_for_update(of=("self",)).filter(reference__in=chosen)
    )
    if not rows:
        raise _error(Code.REQUIRED, _("Select at least one application to add."), "references")
    Submission.objects.filter(pk__in=[s.pk for s in rows]).update(user=user)
    record_many(actor, Action.SUBMISSION_CLAIMED, rows)
    return rows
