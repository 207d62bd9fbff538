"""Access links to a submission for its applicant (see `forms.links`): opening one, asking for a
fresh one by reference and email address, and revoking them all."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform import ratelimits
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor, check, link_holder
from portalwerk.platform.forms import links
from portalwerk.platform.forms.access import get_submission_for_clerk
from portalwerk.platform.forms.errors import FormErrorCode as Code
from portalwerk.platform.forms.models import Submission, SubmissionLink
from portalwerk.platform.forms.services.checks import _error

#: requests for a new link within LINK_REQUEST_WINDOW: per client address, and per reference (so
#: nobody can bomb one applicant's inbox, nor guess many references from one address)
LINK_REQUESTS_PER_IP = 10
LINK_REQUESTS_PER_REFERENCE = 3
LINK_REQUEST_WINDOW = 3600


@transaction.atomic
def open_submission_link(*, actor: Actor, token: str) -> SubmissionLink:
    """The link `token` belongs to, if it still opens its submission; the opening is recorded
    (by the link holder, with the link's id, never the token)."""
    check(actor)
    link, valid = links.find(token)
    if link is None:
        raise _error(
            Code.ACCESS_LINK_INVALID,
            _("This link is not valid. It may have been withdrawn or not copied completely."),
        )
    if not valid:
        raise _error(Code.ACCESS_LINK_EXPIRED, _("This link has expired."))
    link.last_used_at = timezone.now()
    link.save(update_fields=["last_used_at"])
    holder = link_holder(link.submission.reference)
    record(holder, Action.SUBMISSION_LINK_OPENED, link.submission, link=link.pk)
    return link


def request_submission_link(
    *, actor: Actor, reference: str, email: str, ip: str | None = None
) -> None:
    """Mail a new link to the address on the submission `reference`, if `email` is that address.

    Whether they matched is never said (the answer is the same), so the form reveals neither
    references nor addresses; the link goes only to the address the submission has."""
    check(actor)
    reference = (reference or "").strip().upper()[:32]
    email = (email or "").strip()
    errors = {}
    if not reference:
        errors["reference"] = [
            ValidationError(_("Enter the reference number."), code=Code.REQUIRED)
        ]
    if not email:
        errors["email"] = [ValidationError(_("Enter your email address."), code=Code.REQUIRED)]
    for field, value in (("reference", reference), ("email", email)):
        if "\x00" in value:  # no reference or address holds one (and PostgreSQL refuses it)
            errors[field] = [
                ValidationError(
                    _("This contains a character that is not allowed."),
                    code=Code.INVALID_CHARACTER,
                )
            ]
    if errors:
        raise ValidationError(errors)
    limited = ratelimits.hit(
        "forms-link-ip", ip, allowed=LINK_REQUESTS_PER_IP, window_seconds=LINK_REQUEST_WINDOW
    ) or ratelimits.hit(
        "forms-link-reference",
        reference,
        allowed=LINK_REQUESTS_PER_REFERENCE,
        window_seconds=LINK_REQUEST_WINDOW,
    )
    if limited is not None:
        raise _error(
            Code.RATE_LIMITED,
            _("Too many requests for a new link. Try again in an hour."),
        )
    from portalwerk.platform.forms import tasks
    from portalwerk.platform.jobs import defer_for_tenant
    from portalwerk.platform.mail import limits as mail_limits

    # counted before the lookup, so reaching the limit says nothing about the reference
    mail_limits.check(to=email, ip=ip, field="email")
    with transaction.atomic():
        submission = Submission.objects.filter(
            reference=reference, email__iexact=email, anonymised_at__isnull=True
        ).first()
        if submission is not None and submission.email:
            defer_for_tenant(tasks.send_submission_link, submission_id=submission.pk)


@transaction.atomic
def revoke_submission_links(*, actor: Actor, submission_id) -> int:
    """Withdraw every access link of a submission (a mail that was forwarded, say); the
    applicant can ask for a new one, which goes to the address on the submission only."""
    capabilities.require(actor, capabilities.Capability.PROCESS_SUBMISSIONS)
    submission = get_submission_for_clerk(actor, submission_id)
    count = SubmissionLink.objects.filter(submission=submission, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    record(actor, Action.SUBMISSION_LINKS_REVOKED, submission, links=count)
    return count
