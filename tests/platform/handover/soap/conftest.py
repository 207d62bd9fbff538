"""The SOAP back-office system (tests/helpers/soap_receiver.py), started once per test session,
and a fishing-licence form whose applications go to it."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.handover.contrib.soap import client as soap_clients
from tests.helpers import fishing, soap_receiver

MAPPING = """
Vorgangskennung = parcel:idempotency_key
Portalreferenz = parcel:reference
Eingangsdatum = parcel:submitted_at
Antragsart = fixed:Fischereischein
Antragsteller.Name = answer:last_name
Antragsteller.Vorname = answer:first_name
Antragsteller.Geburtsdatum = answer:birth_date
Antragsteller.Anschrift.Strasse = answer:address.street
Antragsteller.Anschrift.Hausnummer = answer:address.house_number
Antragsteller.Anschrift.Postleitzahl = answer:address.postcode
Antragsteller.Anschrift.Ort = answer:address.city
Antragsteller.EMail = parcel:applicant_email
Gewaesser = text:water
Pruefungstermin = answer:exam_date
Anlage = files:Dateiname,MimeType,Inhalt
"""


@pytest.fixture(scope="session")
def _soap_server():
    receiver, server = soap_receiver.start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def soap(_soap_server):
    """The receiver, emptied, and no WSDL cached from an earlier test."""
    _soap_server.reset()
    soap_clients.forget()
    yield _soap_server
    _soap_server.reset()
    soap_clients.forget()


@pytest.fixture
def form_data(soap):
    """What a tenant admin types into the SOAP target's settings."""
    return {
        "wsdl_url": soap.wsdl_url,
        "operation": "AntragEinreichen",
        "username": "",
        "password": "",
        "timeout": "5",
        "mapping": MAPPING,
        "response_reference": "Aktenzeichen",
    }


@pytest.fixture
def fishing_form(tenant_a, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with schema_context(tenant_a.schema_name):
        return fishing.publish(clerk)
