"""The SOAP target's settings are checked against the receiving system's WSDL when a tenant
admin saves them, and by the target check."""

from __future__ import annotations

import pytest
from django.utils import translation

from portalwerk.platform.handover.backends import DeliveryError, Problem
from portalwerk.platform.handover.contrib.soap import client as soap_clients
from portalwerk.platform.handover.contrib.soap.backend import SoapBackend
from portalwerk.platform.handover.contrib.soap.config import SoapTargetForm
from tests.helpers import soap_receiver


def _errors(data) -> list[str]:
    form = SoapTargetForm(data=data)
    assert not form.is_valid()
    return [message for messages in form.errors.values() for message in messages]


def test_a_mapping_that_fits_the_operation_is_saved_as_rules(form_data):
    form = SoapTargetForm(data=form_data)
    assert form.is_valid(), form.errors
    rules = form.cleaned_data["mapping"]
    assert {"path": "Antragsteller.Name", "source": "answer", "value": "last_name"} in rules
    assert SoapBackend().check_target(form.cleaned_data) == []
    # shown again as the lines it was typed as
    assert "Antragsteller.Name = answer:last_name" in SoapTargetForm().fields[
        "mapping"
    ].prepare_value(rules)


def test_a_mapping_with_a_wrong_path_and_a_required_part_left_out_is_refused(form_data):
    mapping = form_data["mapping"].replace("Antragsteller.Name =", "Antragsteller.Nam =")
    mapping = mapping.replace("Antragsteller.Vorname = answer:first_name\n", "")
    with translation.override("en"):
        errors = _errors({**form_data, "mapping": mapping})
    assert any(
        "“Antragsteller.Nam” is not in the message" in e and "Name, Vorname" in e for e in errors
    )
    assert "“Antragsteller.Vorname” is required by the operation; map it." in errors
    assert "“Antragsteller.Name” is required by the operation; map it." in errors


def test_a_mapping_without_the_idempotency_key_or_with_files_in_a_text_part_is_refused(form_data):
    mapping = form_data["mapping"].replace(
        "Vorgangskennung = parcel:idempotency_key", "Vorgangskennung = parcel:reference"
    )
    mapping += "\nGewaesser = files:Dateiname,MimeType,Inhalt\n"
    mapping = mapping.replace("Gewaesser = text:water\n", "")
    with translation.override("en"):
        errors = _errors({**form_data, "mapping": mapping})
    assert any("parcel:idempotency_key" in e for e in errors)
    assert any("“Gewaesser” cannot hold files" in e for e in errors)


def test_lines_that_are_not_rules_are_refused_by_line_number(form_data):
    with translation.override("en"):
        errors = _errors({**form_data, "mapping": "Vorgangskennung parcel\nGewaesser = web:x"})
    assert errors[0].startswith("Line 1:")
    assert errors[1].startswith("Line 2: “web” is not a source")


def test_an_operation_the_wsdl_lacks_and_a_wsdl_that_cannot_be_read_are_refused(form_data, soap):
    with translation.override("en"):
        errors = _errors({**form_data, "operation": "AntragStellen"})
        assert errors == [
            "The WSDL has no operation “AntragStellen”; it has: AntragEinreichen, StatusAbfragen."
        ]
        errors = _errors({**form_data, "wsdl_url": soap.base_url + "/missing.wsdl"})
        assert errors[0].startswith("The WSDL could not be read")


def test_a_wsdl_whose_schema_is_a_local_file_is_not_followed(form_data, soap, tmp_path):
    # given a WSDL served over HTTP whose schema import names a (valid) file on our own disk
    local = tmp_path / "antrag.xsd"
    local.write_bytes(soap_receiver.FIXTURES.joinpath("antrag.xsd").read_bytes())
    soap.schema_location = local.as_uri()
    with translation.override("en"):
        errors = _errors(form_data)
    assert errors[0].startswith("The WSDL could not be read (DocumentRefused")


def test_the_target_check_reports_a_wsdl_that_changed_since_saving(form_data):
    form = SoapTargetForm(data=form_data)
    assert form.is_valid()
    config = {**form.cleaned_data, "response_reference": "Bescheid"}
    with translation.override("en"):
        problems = SoapBackend().check_target(config)
    assert problems == [
        "“Bescheid” is not in the message; at this place it has: Aktenzeichen, Eingegangen."
    ]


def test_a_wsdl_on_the_portals_own_machine_is_refused_outside_development(form_data, settings):
    # given the production rule: no targets on loopback (the test's SOAP server is on it)
    settings.PORTALWERK_ALLOW_LOCAL_ADDRESSES = False
    # then a tenant admin cannot save it, and a target saved earlier is not called
    assert any("local address not allowed" in error for error in _errors(form_data)), _errors(
        form_data
    )
    saved = SoapTargetForm(data=form_data)
    settings.PORTALWERK_ALLOW_LOCAL_ADDRESSES = True
    assert saved.is_valid(), saved.errors
    settings.PORTALWERK_ALLOW_LOCAL_ADDRESSES = False
    soap_clients.forget()
    with pytest.raises(DeliveryError) as refused:
        SoapBackend().deliver(None, saved.cleaned_data)
    assert refused.value.problem == Problem.CONFIGURATION and not refused.value.retry
