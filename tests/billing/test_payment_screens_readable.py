"""What clerks read on the payment screens (issue 15): money as people write it ("15,00 €",
"€15.00"), the provider and the statuses by their names, never stored codes; a refund mails the
citizen."""

from __future__ import annotations

from django.core import mail
from django_tenants.utils import schema_context

from portalwerk.billing.payments import services
from portalwerk.platform.authz.actors import from_user
from tests.billing.test_refunds_and_export import paid_payment
from tests.conftest import PASSWORD
from tests.helpers.forms import run_jobs


def clerk_browser(client_for, tenant, clerk, language="de"):
    client = client_for(tenant)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    assert (
        client.post("/accounts/sign-in/", {"email": clerk.email, "password": PASSWORD}).status_code
        == 302
    )
    return client


def test_the_payment_list_shows_euros_not_cents(tenant_a, fee_form, clerk, client_for):
    paid_payment(tenant_a, fee_form)
    page = clerk_browser(client_for, tenant_a, clerk).get("/backoffice/payments/").content.decode()
    assert "15,00 €" in page
    assert "1500 ct" not in page and " ct<" not in page
    english = clerk_browser(client_for, tenant_a, clerk, "en").get("/backoffice/payments/")
    assert "€15.00" in english.content.decode()


def test_a_payment_names_its_provider_and_its_history_in_words(
    tenant_a, fee_form, clerk, client_for
):
    payment = paid_payment(tenant_a, fee_form)
    client = clerk_browser(client_for, tenant_a, clerk)
    page = client.get(f"/backoffice/payments/{payment.pk}/").content.decode()
    assert "demo demo" not in page
    assert "Demo-Zahlungsdienst (Testzahlung, kein echtes Geld)" in page
    assert "von „angelegt“ zu „Zahlung ausstehend“ (Zahlung gestartet)" in page
    assert "von „Zahlung ausstehend“ zu „bezahlt“ (Mitteilung des Zahlungsdienstleisters)" in page
    assert "created → pending" not in page and "(start)" not in page
    english = clerk_browser(client_for, tenant_a, clerk, "en")
    page = english.get(f"/backoffice/payments/{payment.pk}/").content.decode()
    assert "from “payment pending” to “paid” (notice from the payment provider)" in page


def test_a_refund_above_the_rest_is_explained_in_money_format(
    tenant_a, fee_form, clerk, client_for
):
    payment = paid_payment(tenant_a, fee_form)
    client = clerk_browser(client_for, tenant_a, clerk)
    response = client.post(
        f"/backoffice/payments/{payment.pk}/", {"amount": "20,00", "reason": "Zu viel"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "zwischen 0,01 € und 15,00 €" in page
    assert "15.00 EUR" not in page


def test_a_refund_mails_the_citizen_in_their_language(tenant_a, fee_form, clerk, client_for):
    payment = paid_payment(tenant_a, fee_form)
    with schema_context(tenant_a.schema_name):
        run_jobs()  # the receipt and the "payment received" mail
        mail.outbox.clear()
        clerk_browser(client_for, tenant_a, clerk).post(
            f"/backoffice/payments/{payment.pk}/",
            {"amount": "5,00", "reason": "Ermäßigung für Jugendliche"},
        )
        run_jobs()
        run_jobs()  # a retried job sends nothing twice
    [message] = mail.outbox
    assert message.to == ["erika@example.org"]
    assert payment.submission.reference in message.subject
    assert "5,00 €" in message.body and payment.reference in message.body
    assert "Ermäßigung für Jugendliche" in message.body


def test_a_refund_without_an_address_sends_nothing(tenant_a, fee_form, clerk):
    payment = paid_payment(tenant_a, fee_form)
    with schema_context(tenant_a.schema_name):
        run_jobs()
        mail.outbox.clear()
        payment.submission.email = ""
        payment.submission.save(update_fields=["email"])
        services.refund_payment(
            actor=from_user(clerk), payment_id=payment.pk, amount_cents=None, reason="Storniert"
        )
        run_jobs()
    assert mail.outbox == []


def test_the_payment_list_takes_dates_as_german_clerks_type_them(
    tenant_a, fee_form, clerk, client_for
):
    paid_payment(tenant_a, fee_form)
    browser = clerk_browser(client_for, tenant_a, clerk)
    page = browser.get("/backoffice/payments/").content.decode()
    # a text field with the format as hint, not the browser's own date field
    assert 'type="date"' not in page and "TT.MM.JJJJ" in page
    assert "15,00 €" not in browser.get("/backoffice/payments/?from=1.1.2999").content.decode()
    wrong = browser.get("/backoffice/payments/?from=31.02.2027")
    assert wrong.status_code == 400
    text = wrong.content.decode()
    assert "Geben Sie das Datum als TT.MM.JJJJ an" in text and 'aria-invalid="true"' in text
    assert "15,00 €" in text  # the other filters still apply, the wrong date does not
