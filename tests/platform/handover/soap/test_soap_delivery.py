"""Applications handed over to a SOAP back-office system: the real zeep client against a server
that validates every request against the WSDL's schema."""

from __future__ import annotations

import socket

from django_tenants.utils import schema_context

from portalwerk.platform.handover.contrib.soap.backend import SoapBackend
from portalwerk.platform.handover.models import Delivery, DeliveryStatus, Target
from tests.helpers import fishing
from tests.helpers.forms import PNG, run_jobs


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _target(config: dict) -> Target:
    form = SoapBackend.config_form(data=config)
    assert form.is_valid(), form.errors
    return Target.objects.create(
        name="Fachverfahren Fischerei", backend="soap", config=form.cleaned_data, all_forms=True
    )


def _submit_and_send(form):
    submission = fishing.submit(form)
    run_jobs("deliver")
    return Delivery.objects.get(submission=submission), submission


def test_an_application_arrives_in_the_back_office_valid_and_with_its_case_number(
    soap, form_data, fishing_form, tenant_a
):
    with schema_context(tenant_a.schema_name):
        _target(form_data)
        delivery, submission = _submit_and_send(fishing_form)
        receipt = bytes(submission.receipt.pdf)

    assert soap.refused == 0
    assert delivery.status == DeliveryStatus.DELIVERED
    (stored,) = soap.stored.values()
    assert delivery.receiver_reference == stored.aktenzeichen
    assert stored.text("Vorgangskennung") == str(delivery.key)
    assert stored.text("Portalreferenz") == submission.reference
    assert stored.text("Antragsart") == "Fischereischein"
    assert stored.text("Antragsteller.Name") == "Muster"
    assert stored.text("Antragsteller.Geburtsdatum") == "1990-02-01"
    assert stored.text("Antragsteller.Anschrift.Postleitzahl") == "01067"
    assert stored.text("Gewaesser") == "Elbe"
    assert stored.text("Pruefungstermin") == "2026-03-14"
    assert stored.files == {
        f"{submission.reference}.pdf": ("application/pdf", receipt),
        "passfoto.png": ("image/png", PNG),
    }


def test_a_repeat_after_a_timeout_is_stored_once_and_answered_with_the_same_case_number(
    soap, form_data, fishing_form, tenant_a
):
    # given a receiver that stores the application but answers after our timeout
    soap.mode, soap.slow_seconds = "store_then_slow", 2.5
    with schema_context(tenant_a.schema_name):
        _target({**form_data, "timeout": "1"})
        delivery, _submission = _submit_and_send(fishing_form)
        assert (delivery.status, delivery.last_problem) == (DeliveryStatus.PENDING, "timeout")
        # when the retry runs while the receiver answers in time again
        soap.mode = "ok"
        run_jobs("deliver")
        delivery.refresh_from_db()

    # then it holds the application once, and we hold its case number
    assert soap.posts == 2
    assert len(soap.stored) == 1
    (stored,) = soap.stored.values()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.receiver_reference == stored.aktenzeichen
    assert delivery.attempts == 2


def test_a_client_fault_is_a_refusal_that_is_not_retried(soap, form_data, fishing_form, tenant_a):
    # given a fixed value the receiver's schema does not allow (zeep does not check enumerations)
    mapping = form_data["mapping"].replace("fixed:Fischereischein", "fixed:Angelschein")
    with schema_context(tenant_a.schema_name):
        _target({**form_data, "mapping": mapping})
        delivery, _submission = _submit_and_send(fishing_form)
        assert run_jobs("deliver") == []

    assert soap.refused == 1 and not soap.stored
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_problem == "refused"
    assert "Client" in delivery.last_detail and "Antragsart" in delivery.last_detail


def test_a_client_fault_with_a_subcode_is_a_refusal_too(soap, form_data, fishing_form, tenant_a):
    soap.mode = "permission_fault"
    with schema_context(tenant_a.schema_name):
        _target(form_data)
        delivery, _submission = _submit_and_send(fishing_form)
    assert (delivery.status, delivery.last_problem) == (DeliveryStatus.FAILED, "refused")
    assert delivery.last_detail == "SOAP fault soapenv:Client.Berechtigung: Keine Berechtigung"


def test_server_faults_and_busy_receivers_are_retried_later(
    soap, form_data, fishing_form, tenant_a
):
    with schema_context(tenant_a.schema_name):
        _target(form_data)
        soap.mode = "server_fault"
        delivery, _submission = _submit_and_send(fishing_form)
        assert (delivery.status, delivery.last_problem) == (
            DeliveryStatus.PENDING,
            "receiver_error",
        )
        assert "Server" in delivery.last_detail
        assert delivery.next_attempt_at is not None

        soap.mode = "http_503"
        run_jobs("deliver")
        delivery.refresh_from_db()
        assert (delivery.status, delivery.last_detail) == (DeliveryStatus.PENDING, "HTTP 503")

        soap.mode = "ok"
        run_jobs("deliver")
        delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert len(soap.stored) == 1


def test_a_receiver_that_cannot_be_reached_is_retried(soap, form_data, fishing_form, tenant_a):
    with schema_context(tenant_a.schema_name):
        target = _target(form_data)
        target.config = {**target.config, "wsdl_url": f"http://127.0.0.1:{_free_port()}/x.wsdl"}
        target.save()
        delivery, _submission = _submit_and_send(fishing_form)
    assert (delivery.status, delivery.last_problem) == (DeliveryStatus.PENDING, "unreachable")


def test_credentials_reach_the_receiver_and_wrong_ones_are_reported(
    soap, form_data, fishing_form, tenant_a
):
    soap.credentials = ("portal", "geheim")
    with schema_context(tenant_a.schema_name):
        target = _target({**form_data, "username": "portal", "password": "geheim"})
        delivery, _submission = _submit_and_send(fishing_form)
        assert delivery.status == DeliveryStatus.DELIVERED

        target.config = {**target.config, "password": "falsch"}
        target.save()
        second, _submission = _submit_and_send(fishing_form)
    assert (second.status, second.last_problem) == (DeliveryStatus.FAILED, "unauthorised")
    assert len(soap.stored) == 1
