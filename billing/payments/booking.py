"""Where a fee is booked (its fee account, booking text and hand-over policy) and the
human-readable payment references."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from portalwerk.billing.payments.models import FeeAccount, HandOverPolicy, PaymentReferenceSequence
from portalwerk.platform.forms.models import Submission


def fee_account_for(submission: Submission) -> FeeAccount | None:
    form = submission.form
    own = FeeAccount.objects.filter(form=form).first()
    if own is not None:
        return own
    if form.service_key:
        return FeeAccount.objects.filter(form__isnull=True, service_key=form.service_key).first()
    return None


def _booking_text(account: FeeAccount | None, submission: Submission) -> str:
    form_title = submission.form.title_text("de")
    template = (account.booking_text if account else "") or "{form} {reference}"
    try:
        text = template.format(reference=submission.reference, form=form_title)
    except (KeyError, IndexError, ValueError):
        text = f"{template} {submission.reference}"
    return text[:140]


def hand_over_policy(submission: Submission) -> str:
    account = fee_account_for(submission)
    return account.hand_over if account else HandOverPolicy.AFTER_PAYMENT


def tenant_slug() -> str:
    """The current tenant's slug, also where only the schema is set (jobs, schema_context)."""
    from portalwerk.tenants.models import Tenant

    slug = getattr(getattr(connection, "tenant", None), "slug", None)
    if slug:
        return slug
    found = Tenant.objects.filter(schema_name=connection.schema_name).values_list("slug", flat=True)
    return found.first() or connection.schema_name


def next_payment_reference() -> str:
    """A human-readable payment reference, per tenant and year: `ALP-2026-Z000042`."""
    from portalwerk.platform.forms.services import reference_prefix

    prefix = reference_prefix(tenant_slug())
    year = timezone.localdate().year
    table = PaymentReferenceSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last) VALUES (%s, 1) "
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [year],
        )
        number = cursor.fetchone()[0]
    return f"{prefix}-{year}-Z{number:06d}"
