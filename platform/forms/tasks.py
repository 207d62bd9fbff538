"""Jobs of the forms app. Each runs in the tenant's schema (passed explicitly) and is idempotent
enough to be retried: mails go to whoever the row names at the time the job runs."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portalwerk.platform import mail
from portalwerk.platform.jobs import tenant_task


@tenant_task(queue="mail", retry=5)
def send_submission_receipt(*, submission_id: int) -> str | None:
    """The confirmation mail with the PDF receipt attached."""
    from portalwerk.platform.forms.models import Submission
    from portalwerk.platform.forms.receipts import render_receipt

    submission = Submission.objects.select_related("form", "version").filter(pk=submission_id)
    submission = submission.first()
    if submission is None or not submission.email or submission.anonymised_at:
        return None
    from portalwerk.tenants.current import current_tenant, tenant_url

    tenant = current_tenant()
    return mail.send(
        idempotency_key=f"submission-receipt:{submission.pk}",
        to=submission.email,
        language=submission.language,
        subject=lambda: (
            _("Your application %(reference)s has been received")
            % {"reference": submission.reference}
        ),
        body=lambda: (
            _(
                "Thank you. %(office)s has received your application “%(form)s”.\n\n"
                "Reference number: %(reference)s\n\n"
                "The receipt with all your answers is attached. You can follow the status at "
                "%(url)s\n"
            )
            % {
                "office": tenant.name,
                "form": submission.form.title_text(),
                "reference": submission.reference,
                "url": tenant_url(tenant, "/my/applications/"),
            }
        ),
        attachments=[
            mail.Attachment(
                f"{submission.reference}.pdf",
                lambda: render_receipt(submission, tenant_name=tenant.name),
                "application/pdf",
            )
        ],
    )


@tenant_task(queue="mail", retry=5)
def send_resume_mail(
    *, email: str, url: str, hours: int, language: str = "de", form_title: str = ""
) -> str:
    def body() -> str:
        return ngettext(
            "You saved an application to finish later. Open this link to continue:\n\n%(url)s\n\n"
            "The link works once and expires in an hour. If you did not ask for it, "
            "ignore this email.\n",
            "You saved an application to finish later. Open this link to continue:\n\n%(url)s\n\n"
            "The link works once and expires in %(hours)s hours. If you did not ask for it, "
            "ignore this email.\n",
            hours,
        ) % {"url": url, "hours": hours}

    def subject() -> str:
        if not form_title:
            return _("Continue your application")
        return _("Continue your application: %(form)s") % {"form": form_title}

    return mail.send(to=email, language=language, subject=subject, body=body)


@tenant_task(queue="mail", retry=5)
def send_status_mail(*, submission_id: int, kind: str = "status") -> str | None:
    """Tells the citizen that something changed: no personal data, only a link to the portal."""
    from portalwerk.platform.forms.models import Submission

    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None or not submission.email or submission.anonymised_at:
        return None
    from portalwerk.tenants.current import current_tenant_url

    url = current_tenant_url(f"/my/applications/{submission.reference}/")

    def subject() -> str:
        if kind == "message":
            text = _("New message about your application %(reference)s")
        else:
            text = _("Update on your application %(reference)s")
        return text % {"reference": submission.reference}

    def body() -> str:
        if kind == "message":
            text = _("The office has sent you a message about your application.")
        else:
            text = _("The status of your application has changed.")
        return f"{text}\n\n{_('Sign in to see it:')}\n{url}\n"

    return mail.send(to=submission.email, language=submission.language, subject=subject, body=body)
