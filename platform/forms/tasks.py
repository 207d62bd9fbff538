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
    from portalwerk.platform.forms.receipts import receipt_of

    submission = Submission.objects.select_related("form", "version").filter(pk=submission_id)
    submission = submission.first()
    if submission is None or not submission.email or submission.anonymised_at:
        return None
    from portalwerk.tenants.current import current_tenant

    tenant = current_tenant()
    receipt = receipt_of(submission)  # the file made at submit, as the citizen downloads it
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
                "The receipt with all your answers is attached. You can follow the status and "
                "write to the office online.\n\n"
            )
            % {
                "office": tenant.name,
                "form": submission.form.title_text(),
                "reference": submission.reference,
            }
            + _("Checksum of the receipt (SHA-256): %(sha256)s\n") % {"sha256": receipt.sha256}
            + _link_lines(submission)
        ),
        attachments=[
            mail.Attachment(
                f"{submission.reference}.pdf",
                bytes(receipt.pdf),
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


def _link_lines(submission) -> str:
    """The lines of a mail that open the submission: a fresh access link (made here, in the job,
    so the token is never a job argument) and where to get another once it expires."""
    from portalwerk.platform.forms import links
    from portalwerk.tenants.current import current_tenant_url

    url = current_tenant_url(links.issue(submission))
    days = links.link_days()
    return ngettext(
        "Open your application here (this link is for you only and works for %(days)s day):"
        "\n%(url)s\n\nIf it has expired, ask for a new link with your reference number at "
        "%(renew)s\n",
        "Open your application here (this link is for you only and works for %(days)s days):"
        "\n%(url)s\n\nIf it has expired, ask for a new link with your reference number at "
        "%(renew)s\n",
        days,
    ) % {"url": url, "days": days, "renew": current_tenant_url("/my/applications/new-link/")}


def _what_to_do(status: str) -> str:
    """What the new status means for the citizen, in a sentence or two."""
    from portalwerk.platform.forms.models import SubmissionStatus as S

    return {
        S.RECEIVED: _("The office has received your application. You need not do anything."),
        S.IN_PROGRESS: _(
            "The office is working on your application. You need not do anything for now."
        ),
        S.WAITING: _(
            "The office needs something more from you. Open your application to read what is "
            "missing, then reply or upload the documents there."
        ),
        S.COMPLETED: _(
            "Your application has been completed. Open your application to read the office's "
            "messages about it."
        ),
        S.REJECTED: _(
            "Your application has been rejected. Open your application to read the office's "
            "reasons; the messages there also say how you can object."
        ),
    }.get(status, _("Open your application to see what has changed."))


@tenant_task(queue="mail", retry=5)
def send_submission_link(*, submission_id: int) -> str | None:
    """A new access link, asked for with the reference and this address."""
    from portalwerk.platform.forms.models import Submission

    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None or not submission.email or submission.anonymised_at:
        return None

    def body() -> str:
        intro = _(
            "You asked for a new link to your application %(reference)s. If it was not you, "
            "you can ignore this email."
        ) % {"reference": submission.reference}
        return f"{intro}\n\n{_link_lines(submission)}"

    return mail.send(
        to=submission.email,
        language=submission.language,
        subject=lambda: (
            _("Your link to application %(reference)s") % {"reference": submission.reference}
        ),
        body=body,
    )


@tenant_task(queue="mail", retry=5)
def send_status_mail(*, submission_id: int, kind: str = "status", status: str = "") -> str | None:
    """Tells the citizen that something changed, with a link to it: the new status and what to
    do, or that a message came. No personal data: only the reference and the status."""
    from portalwerk.platform.forms.models import Submission, SubmissionStatus

    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None or not submission.email or submission.anonymised_at:
        return None
    # The status the notice is about (a later change sends its own notice).
    status = status or submission.status

    def status_label() -> str:
        try:
            return str(SubmissionStatus(status).label)
        except ValueError:
            return status

    def subject() -> str:
        if kind == "message":
            return _("New message about your application %(reference)s") % {
                "reference": submission.reference
            }
        return _("Your application %(reference)s is now: %(status)s") % {
            "reference": submission.reference,
            "status": status_label(),
        }

    def body() -> str:
        if kind == "message":
            text = _(
                "The office has sent you a message about your application %(reference)s. Open "
                "your application to read it and reply."
            ) % {"reference": submission.reference}
        else:
            text = _("The status of your application %(reference)s is now: %(status)s.") % {
                "reference": submission.reference,
                "status": status_label(),
            }
            text = f"{text}\n\n{_what_to_do(status)}"
        return f"{text}\n\n{_link_lines(submission)}"

    return mail.send(to=submission.email, language=submission.language, subject=subject, body=body)
