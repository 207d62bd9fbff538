"""Jobs of casework: the mail telling the assigned clerk of a citizen's reply, and the nightly
retention purge of submissions and what hangs on them (messages, uploads), one job per tenant.
Casework runs the purge as it knows forms and its own messages and audit log; forms knows neither
(docs/decisions/0011-layers-and-shared-homes.md)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from procrastinate.contrib.django import app

from portalwerk.platform import mail
from portalwerk.platform.jobs import tenant_task


@tenant_task(queue="mail", retry=5)
def send_reply_notice(*, submission_id: int) -> str | None:
    """Tells the assigned clerk that the citizen replied: the reference and a link, nothing of
    what was written."""
    from portalwerk.platform.forms.models import Submission
    from portalwerk.tenants.current import current_tenant_url

    submission = Submission.objects.select_related("assigned_to").filter(pk=submission_id).first()
    clerk = submission.assigned_to if submission is not None else None
    if clerk is None or not clerk.is_active or not clerk.email or submission.anonymised_at:
        return None
    url = current_tenant_url(f"/backoffice/inbox/{submission.pk}/")
    return mail.send(
        to=clerk.email,
        language=clerk.language,
        subject=lambda: (
            _("New reply on submission %(reference)s") % {"reference": submission.reference}
        ),
        body=lambda: (
            _(
                "The applicant has replied on submission %(reference)s, which is assigned to "
                "you. Open it in the back office:\n%(url)s\n"
            )
            % {"reference": submission.reference, "url": url}
        ),
    )


# The names are the ones these jobs had under `forms.tasks`: jobs already queued keep running.
@tenant_task(queue="retention", name="portalwerk.platform.forms.tasks.purge_expired_submissions")
def purge_expired_submissions() -> dict:
    from portalwerk.platform.casework.retention import purge_expired

    return purge_expired()


@app.periodic(cron="17 3 * * *")
@app.task(queue="retention", name="portalwerk.platform.forms.tasks.purge_all_tenants")
def purge_all_tenants(timestamp: int) -> int:
    """Nightly: one purge job per active tenant, each in its own schema."""
    from portalwerk.tenants.models import Tenant, TenantStatus

    schemas = Tenant.objects.exclude(schema_name="public").filter(status=TenantStatus.ACTIVE)
    count = 0
    for schema_name in schemas.values_list("schema_name", flat=True):
        purge_expired_submissions.defer(schema_name=schema_name)
        count += 1
    return count
