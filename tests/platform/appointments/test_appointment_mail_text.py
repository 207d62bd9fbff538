"""What an appointment mail says: plain text as typed (no HTML escaping), in the booker's
language with its date format, the services named as the catalogue names them in that language
(said so where only German exists) and what to bring; sender and subject name the authority."""

import datetime as dt

import pytest
from django.core import mail

from portalwerk.platform.appointments import mail as appointment_mail
from portalwerk.platform.appointments.models import Appointment, AppointmentItem, Status
from portalwerk.platform.catalog.models import Service
from tests.helpers.appointments import BERLIN


@pytest.fixture
def booked(setup):
    """A confirmed appointment on Tuesday 2 March 2027, 10:30–10:50, for two services: one the
    catalogue has in English with documents, one known only by its German name."""
    setup.office.name_de = "Citizens' office <b>Mitte</b>"
    setup.office.save()
    Service.objects.create(
        slug="personalausweis",
        name_de="Personalausweis beantragen",
        name_en="Apply for an ID card",
        summary_de="Ausweis",
        documents_de="Ein biometrisches Passfoto",
        documents_en="One biometric passport photo",
    )
    setup.id_card.catalog_key = "personalausweis"
    setup.id_card.save()
    setup.registration.name = "Wohnsitz anmelden"
    setup.registration.description = "Wohnungsgeberbestätigung"
    setup.registration.save()
    appointment = Appointment.objects.create(
        office=setup.office,
        counter=setup.counters[0],
        starts_at=dt.datetime(2027, 3, 2, 10, 30, tzinfo=BERLIN),
        ends_at=dt.datetime(2027, 3, 2, 10, 50, tzinfo=BERLIN),
        status=Status.CONFIRMED,
        name="Anna O'Brien & Söhne",
        email="anna@example.org",
    )
    for service in (setup.id_card, setup.registration):
        AppointmentItem.objects.create(
            appointment=appointment, service=service, duration_minutes=10
        )
    return appointment


def send(appointment, language: str) -> mail.EmailMessage:
    appointment.language = language
    appointment.save(update_fields=["language"])
    mail.outbox.clear()
    appointment_mail.send(appointment_id=appointment.pk, kind="confirmed")
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def test_plain_text_appointment_mails_are_not_html_escaped(booked):
    message = send(booked, "en")
    assert "Citizens' office <b>Mitte</b>" in message.body
    assert "Anna O'Brien & Söhne" in message.body
    assert "&#x27;" not in message.body and "&lt;" not in message.body
    assert "&amp;" not in message.body


def test_an_english_appointment_mail_is_english_with_catalogue_names_and_what_to_bring(booked):
    message = send(booked, "en")
    body = message.body
    # English date format, English day and month names
    assert "Tuesday, 2 March 2027, 10:30–10:50" in body
    assert "02.03.2027" not in message.subject and "2 Mar 2027, 10:30" in message.subject
    # the catalogue's English name; the German-only service marked as such
    assert "Apply for an ID card" in body
    assert "Wohnsitz anmelden (name only in German)" in body
    # what to bring, in English where the catalogue has it, else marked German
    assert "What to bring for Apply for an ID card:\nOne biometric passport photo" in body
    assert "What to bring for Wohnsitz anmelden: (only in German)\nWohnungsgeberbestätigung" in (
        body
    )
    assert message.subject.endswith(" – Stadt Alpha")
    assert "Stadt Alpha – Service portal" in message.from_email


def test_a_german_appointment_mail_uses_german_dates_and_names(booked):
    message = send(booked, "de")
    body = message.body
    assert "Dienstag, 2. März 2027, 10:30–10:50 Uhr" in body
    assert "02.03.2027, 10:30 Uhr" in message.subject and "Uhr Uhr" not in message.subject
    assert "Personalausweis beantragen" in body and "nur auf Deutsch" not in body
    assert "Ein biometrisches Passfoto" in body
    assert "Stadt Alpha – Serviceportal" in message.from_email
