"""Mail about the catalogue, sent by the worker in the tenant's own schema."""

from portalwerk.platform import mail
from portalwerk.platform.jobs import tenant_task


@tenant_task(queue="mail", retry=5)
def send_feedback_mail(*, feedback_id: int, to: str, subject: str) -> str | None:
    from portalwerk.platform.catalog.models import AccessibilityFeedback

    feedback = AccessibilityFeedback.objects.filter(pk=feedback_id).first()
    if feedback is None:
        return None
    body = "\n\n".join(
        part
        for part in (
            feedback.message,
            f"{feedback.name} <{feedback.email}>" if feedback.email else feedback.name,
            feedback.page,
            f"{feedback.answer_by:%d.%m.%Y}",
        )
        if part
    )
    # To the tenant's own staff: in the installation's language, the reporter as Reply-To.
    return mail.send(
        idempotency_key=f"accessibility-feedback:{feedback.pk}",
        to=to,
        language=None,
        subject=subject,
        body=body,
        reply_to=[feedback.email] if feedback.email else (),
    )
