"""Writes for BITV 2.0: feedback on barriers, from the statement's form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform import ratelimits
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.jobs import defer_for_tenant
from portalwerk.platform.library.errors import CatalogErrorCode as Code
from portalwerk.platform.mail import limits as mail_limits

FEEDBACK_PER_IP_PER_HOUR = 5
MAX_MESSAGE = 5000


def send_accessibility_feedback(
    *, actor: Actor, message: str, name: str = "", email: str = "", page: str = "", ip: str | None
):
    """Keep a barrier report for the back office and mail it to the tenant's contact; the
    statement promises an answer within the tenant's response time. Limited per IP address."""
    from portalwerk.platform.catalog.models import (
        AccessibilityFeedback,
        AccessibilityStatement,
        PortalSettings,
    )
    from portalwerk.platform.catalog.tasks import send_feedback_mail

    message = (message or "").strip()
    email = (email or "").strip()
    errors = {}
    if not message:
        errors["message"] = ValidationError(
            _("Describe the barrier you found."), code=Code.FEEDBACK_EMPTY
        )
    elif len(message) > MAX_MESSAGE:
        errors["message"] = ValidationError(
            _("Shorten your message to at most 5000 characters."), code=Code.FEEDBACK_EMPTY
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ValidationError(
                _("Enter an email address like name@example.org, or leave the field empty."),
                code=Code.INVALID_EMAIL,
            )
    if errors:
        raise ValidationError(errors)
    if ratelimits.hit(
        "catalog-feedback-ip", ip, allowed=FEEDBACK_PER_IP_PER_HOUR, window_seconds=3600
    ):
        raise ValidationError(
            _("You have sent a lot of messages. Please wait an hour, or call us."),
            code=Code.RATE_LIMITED,
        )
    statement = AccessibilityStatement.load()
    to = statement.contact_email or PortalSettings.load().feedback_email
    over = mail_limits.limited(to=None, ip=ip)  # the client's share of all mails it causes
    if over is not None:
        raise ValidationError(mail_limits.message(over), code=Code.RATE_LIMITED)
    # Past the contact address's own allowance the report is kept for the back office but not
    # mailed: a flood from many clients must not bury the contact's inbox.
    mail_it = bool(to) and mail_limits.limited(to=to, ip=None) is None
    with transaction.atomic():
        feedback = AccessibilityFeedback.objects.create(
            name=name.strip()[:200],
            email=email,
            page=(page or "").strip()[:500],
            message=message,
            answer_by=AccessibilityFeedback.due(timezone.localdate(), statement.response_days),
        )
        if mail_it:
            defer_for_tenant(
                send_feedback_mail,
                feedback_id=feedback.pk,
                to=to,
                subject=_("Feedback on accessibility"),
            )
    return feedback
