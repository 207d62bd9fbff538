"""Clerks refund fully or partly (with a reason, audited); finance exports the reconciliation."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.billing.payments import services
from portalwerk.billing.payments.models import (
    FeeAccount,
    Payment,
    PaymentStatus,
    Refund,
)
from portalwerk.billing.providers.base import ProviderEvent
from portalwerk.platform.accounts.models import Role
from portalwerk.platform.audit.models import Entry as AuditEntry
from portalwerk.platform.authz.actors import anonymous, from_user
from tests.helpers.forms import make_submission

S = PaymentStatus


def paid_payment(tenant, form, answers=None) -> Payment:
    """A submission paid through the demo provider (its page's "pay", as the citizen would)."""
    from portalwerk.billing.providers.contrib.demo.models import DemoCheckout

    with schema_context(tenant.schema_name):
        kwargs = {"answers": answers} if answers else {}
        submission = make_submission(form, AnonymousUser(), **kwargs)
        payment = services.start_payment(
            actor=anonymous(), submission=submission, return_url="http://alpha.localhost/x"
        )
        DemoCheckout.objects.filter(ref=payment.provider_ref).update(status="paid")
        services.handle_provider_event(
            provider="demo",
            event=ProviderEvent(f"demo_evt_{payment.pk.hex}", "t", payment.provider_ref),
        )
        return Payment.objects.select_related("submission").get(pk=payment.pk)


def code_of(exc: pytest.ExceptionInfo) -> str:
    return next(iter(exc.value.error_dict.values()))[0].code


def test_a_clerk_refunds_partly_then_the_rest_with_reasons_audited(tenant_a, fee_form, clerk):
    payment = paid_payment(tenant_a, fee_form)
    with schema_context(tenant_a.schema_name):
        # when a clerk refunds 5.00 EUR
        services.refund_payment(
            actor=from_user(clerk), payment_id=payment.pk, amount_cents=500, reason="Reduced fee"
        )
        payment.refresh_from_db()
        # then the payment is partially refunded, 10.00 EUR remain refundable
        assert payment.status == S.PARTIALLY_REFUNDED and payment.refundable_cents == 1000
        # when more than the rest is asked for, nothing happens
        with pytest.raises(ValidationError) as exc:
            services.refund_payment(
                actor=from_user(clerk), payment_id=payment.pk, amount_cents=1001, reason="x"
            )
        assert code_of(exc) == "invalid_amount"
        with pytest.raises(ValidationError) as exc:
            services.refund_payment(
                actor=from_user(clerk), payment_id=payment.pk, amount_cents=1, reason=" "
            )
        assert code_of(exc) == "reason_required"
        # when the rest is refunded (no amount: everything refundable)
        services.refund_payment(
            actor=from_user(clerk),
            payment_id=payment.pk,
            amount_cents=None,
            reason="Application withdrawn",
        )
        payment.refresh_from_db()
        assert payment.status == S.REFUNDED and payment.refunded_cents == 1500
        assert [r.amount_cents for r in Refund.objects.filter(payment=payment)] == [500, 1000]
        entries = AuditEntry.objects.filter(
            object_type="payment", object_id=payment.reference, action="payment.refunded"
        ).order_by("at", "id")
        assert [
            (e.actor_user_id, e.detail["amount_cents"], e.detail["refund"]) for e in entries
        ] == [
            (clerk.pk, 500, 1),
            (clerk.pk, 1000, 2),
        ]
        # the reasons (free text) stay on the refunds, not in the audit trail
        assert all("reason" not in e.detail for e in entries)
        # and a refunded payment cannot be refunded again
        with pytest.raises(ValidationError) as exc:
            services.refund_payment(
                actor=from_user(clerk), payment_id=payment.pk, amount_cents=1, reason="x"
            )
        assert code_of(exc) == "not_refundable"


def test_an_unpaid_payment_cannot_be_refunded(tenant_a, fee_form, clerk, submission):
    with schema_context(tenant_a.schema_name):
        payment = services.start_payment(
            actor=anonymous(), submission=submission, return_url="http://x/"
        )
        with pytest.raises(ValidationError) as exc:
            services.refund_payment(
                actor=from_user(clerk), payment_id=payment.pk, amount_cents=None, reason="x"
            )
        assert code_of(exc) == "not_refundable"
        assert Payment.objects.get(pk=payment.pk).status == S.PENDING


def reader(tenant):
    from portalwerk.platform.accounts.models import User

    with schema_context(tenant.schema_name):
        return User.objects.create_user("reader@alpha.example", None, role=Role.CLERK_READER)


@pytest.mark.parametrize("who", ["anonymous", "citizen", "reader"])
def test_who_may_not_refund_gets_not_found_and_nothing_changes(
    who, tenant_a, tenant_b, fee_form, citizen, other_tenant_clerk, client_for
):
    payment = paid_payment(tenant_a, fee_form)
    actors = {"anonymous": AnonymousUser(), "citizen": citizen, "reader": reader(tenant_a)}
    with schema_context(tenant_a.schema_name):
        with pytest.raises(ValidationError) as exc:
            services.refund_payment(
                actor=from_user(actors[who]), payment_id=payment.pk, amount_cents=None, reason="x"
            )
        assert code_of(exc) == "not_found"
        assert Payment.objects.get(pk=payment.pk).status == S.PAID
        assert not Refund.objects.exists()
        assert not AuditEntry.objects.filter(action__startswith="payment.").exists()
    # and over HTTP: the other tenant's clerk on their own host does not find it either
    other = client_for(tenant_b)
    other.sign_in(other_tenant_clerk.email)
    response = other.post(f"/backoffice/payments/{payment.pk}/", {"reason": "x"})
    assert response.status_code == 404


def test_a_clerk_refunds_on_the_payment_page(tenant_a, fee_form, clerk, client_for):
    payment = paid_payment(tenant_a, fee_form)
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    page = office.get(f"/backoffice/payments/{payment.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and payment.reference in page.content.decode()
    # a wrong amount is shown as an error linked to its field, nothing refunded
    bad = office.post(f"/backoffice/payments/{payment.pk}/", {"amount": "99", "reason": "x"})
    assert bad.status_code == 400 and 'href="#f-amount"' in bad.content.decode()
    ok = office.post(
        f"/backoffice/payments/{payment.pk}/", {"amount": "2,50", "reason": "Partly refunded"}
    )
    assert ok.status_code == 302
    with schema_context(tenant_a.schema_name):
        assert Payment.objects.get(pk=payment.pk).refunded_cents == 250
    listing = office.get(
        f"/backoffice/payments/?submission={payment.submission.reference}",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert payment.reference in listing and "partially refunded" in listing


def test_the_reconciliation_export_has_what_the_cash_office_imports(
    tenant_a, fee_form, tenant_admin, clerk
):
    with schema_context(tenant_a.schema_name):
        FeeAccount.objects.create(
            form=fee_form, budget_line="1.2.2.0.432100", booking_text="=Fischereischein {reference}"
        )
    first = paid_payment(tenant_a, fee_form)
    second = paid_payment(
        tenant_a,
        fee_form,
        answers={
            "person": {"first_name": "Max", "last_name": "M", "email": "m@example.org"},
            "licence": {"duration": "5"},
        },
    )
    today = timezone.localdate()
    with schema_context(tenant_a.schema_name):
        services.refund_payment(
            actor=from_user(clerk), payment_id=second.pk, amount_cents=500, reason="r"
        )
        Payment.objects.filter(pk=first.pk).update(application_fee_cents=65)
        # when finance exports today as CSV and as JSON
        name, ctype, content = services.export_reconciliation(
            actor=from_user(tenant_admin), date_from=today, date_to=today, fmt="csv"
        )
        assert name == f"reconciliation-alpha-{today}-{today}.csv" and ctype.startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        _, _, raw = services.export_reconciliation(
            actor=from_user(tenant_admin), date_from=today, date_to=today, fmt="json"
        )
        document = json.loads(raw)
        # and the day before has nothing
        _, _, empty = services.export_reconciliation(
            actor=from_user(tenant_admin),
            date_from=today - datetime.timedelta(days=7),
            date_to=today - datetime.timedelta(days=1),
            fmt="json",
        )
        assert AuditEntry.objects.filter(action="payment.reconciliation_exported").count() == 3
    # then each paid payment is a row with references, budget line, booking text and amounts
    assert [r["payment_reference"] for r in rows] == [first.reference, second.reference]
    row = rows[0]
    assert row["submission_reference"] == first.submission.reference
    assert row["service"] == "fischereischein" and row["budget_line"] == "1.2.2.0.432100"
    # a booking text that would be a spreadsheet formula is neutralised in the CSV
    assert row["booking_text"] == f"'=Fischereischein {first.submission.reference}"
    assert (row["amount"], row["fee"], row["refunds"], row["payout"]) == (
        "15.00",
        "0.65",
        "0.00",
        "14.35",
    )
    assert (rows[1]["amount"], rows[1]["refunds"], rows[1]["payout"]) == ("45.00", "5.00", "40.00")
    assert row["date"] == today.isoformat()
    assert document["totals"] == {"amount": 6000, "fee": 65, "refunds": 500, "payout": 5435}
    assert document["rows"][1]["booking_text"].startswith("=Fischereischein")
    assert json.loads(empty)["rows"] == []


@pytest.mark.parametrize("who", ["anonymous", "clerk", "other_tenant_clerk", "finance"])
def test_only_the_finance_role_exports(who, tenant_a, clerk, tenant_admin, other_tenant_clerk):
    today = timezone.localdate()
    actors = {
        "anonymous": AnonymousUser(),
        "clerk": clerk,
        "other_tenant_clerk": other_tenant_clerk,
    }
    with schema_context(tenant_a.schema_name):
        if who == "finance":
            services.grant_finance_role(actor=from_user(tenant_admin), user=clerk)
            name, _, _ = services.export_reconciliation(
                actor=from_user(clerk), date_from=today, date_to=today, fmt="csv"
            )
            assert name.endswith(".csv")
            return
        with pytest.raises(ValidationError) as exc:
            services.export_reconciliation(
                actor=from_user(actors[who]), date_from=today, date_to=today, fmt="csv"
            )
        assert code_of(exc) == "permission_denied"
        assert not AuditEntry.objects.filter(action__startswith="payment.").exists()


def test_the_export_over_http_checks_role_and_period(tenant_a, clerk, tenant_admin, client_for):
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    assert (
        office.get("/backoffice/payments/export/?from=2026-01-01&to=2026-01-31").status_code == 404
    )
    admin = client_for(tenant_a)
    admin.sign_in(tenant_admin.email)
    bad = admin.get("/backoffice/payments/export/?from=2026-02-01&to=2026-01-01&format=csv")
    assert bad.status_code == 400
    ok = admin.get("/backoffice/payments/export/?from=2026-01-01&to=2026-01-31&format=json")
    # the other tenant's admin, on their own host, exports their own (empty) period only
    assert ok.status_code == 200 and json.loads(ok.content)["tenant"] == "alpha"
    assert ok.status_code == 200 and ok["Content-Type"] == "application/json"
    assert "reconciliation-alpha-2026-01-01-2026-01-31.json" in ok["Content-Disposition"]


EXPORT_FORM = 'action="/backoffice/payments/export/"'  # the reconciliation export, for finance


def test_clerks_set_budget_lines_in_the_back_office_and_only_admins_grant_finance(
    tenant_a, clerk, tenant_admin, client_for
):
    from portalwerk.billing.payments.models import FinanceAccess

    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    # when a clerk books the fees of a catalogue service to a budget line
    added = office.post(
        "/backoffice/payments/feeaccount/add/",
        {
            "service_key": "fischereischein",
            "budget_line": "1.1220.431000",
            "booking_text": "Fischereischein {reference}",
            "hand_over": "after_payment",
        },
    )
    # then it is saved and listed
    assert added.status_code == 302
    with schema_context(tenant_a.schema_name):
        assert FeeAccount.objects.get(service_key="fischereischein").budget_line == "1.1220.431000"
    listing = office.get("/backoffice/payments/feeaccount/")
    assert listing.status_code == 200 and "1.1220.431000" in listing.content.decode()
    # and the clerk may neither see nor grant the finance role, not even to themselves
    assert office.get("/backoffice/payments/financeaccess/").status_code == 403
    refused = office.post("/backoffice/payments/financeaccess/add/", {"user": clerk.pk})
    assert refused.status_code == 403
    assert EXPORT_FORM not in office.get("/backoffice/payments/").content.decode()
    with schema_context(tenant_a.schema_name):
        assert not FinanceAccess.objects.exists()
    # when the tenant admin grants the clerk the finance role
    admin = client_for(tenant_a)
    admin.sign_in(tenant_admin.email)
    assert admin.get("/backoffice/payments/financeaccess/").status_code == 200
    granted = admin.post("/backoffice/payments/financeaccess/add/", {"user": clerk.pk})
    # then the clerk can export the reconciliation
    assert granted.status_code == 302
    assert EXPORT_FORM in office.get("/backoffice/payments/").content.decode()


def test_payments_outlive_the_retention_purge_of_their_submission(tenant_a, fee_form, tenant_admin):
    from portalwerk.platform.casework.retention import purge_expired
    from portalwerk.platform.forms.models import Submission

    payment = paid_payment(tenant_a, fee_form)
    reference = payment.submission.reference
    today = timezone.localdate()
    with schema_context(tenant_a.schema_name):
        # when the nightly purge deletes the submission after its retention period
        report = purge_expired(
            now=timezone.now() + datetime.timedelta(days=fee_form.retention_days + 1)
        )
        assert report.get("fishing-licence") == 1
        assert not Submission.objects.filter(reference=reference).exists()
        # then the payment stays, as a financial record, and is still in the reconciliation
        kept = Payment.objects.get(pk=payment.pk)
        assert kept.submission_id is None and kept.submission_reference == reference
        _, _, raw = services.export_reconciliation(
            actor=from_user(tenant_admin), date_from=today, date_to=today, fmt="json"
        )
        [row] = json.loads(raw)["rows"]
        assert row["submission_reference"] == reference and row["service"] == "fischereischein"
