"""Applications handed over to an office mailbox through a real SMTP server."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_tenants.utils import schema_context

from portalwerk.platform.handover.contrib.email.backend import EmailBackend, EmailTargetForm
from portalwerk.platform.handover.models import Delivery, DeliveryStatus, Target
from portalwerk.platform.handover.parcels import parcel_of
from tests.helpers import fishing
from tests.helpers.forms import PNG, run_jobs

OFFICE = "fischerei@alpha.example"


def _target(**config) -> Target:
    data = {"addresses": OFFICE, "max_attachment_mb": "10", **config}
    form = EmailTargetForm(data=data)
    assert form.is_valid(), form.errors
    return Target.objects.create(
        name="Fischereibehörde", backend="email", config=form.cleaned_data, all_forms=True
    )


def _send(form, **submit):
    submission = fishing.submit(form, **submit)
    run_jobs("deliver")
    return Delivery.objects.get(submission=submission), submission


def _attachments(message) -> dict[str, tuple[str, bytes]]:
    return {
        part.get_filename(): (part.get_content_type(), part.get_payload(decode=True))
        for part in message.walk()
        if part.get_filename()
    }


def _body(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            return part.get_payload(decode=True).decode(part.get_content_charset())
    raise AssertionError("no text")


def test_the_office_gets_the_answers_in_german_and_the_files_attached(
    office_smtp, fishing_form, tenant_a
):
    # given a citizen who applied in English
    with schema_context(tenant_a.schema_name):
        _target()
        delivery, submission = _send(fishing_form, language="en")
        receipt = bytes(submission.receipt.pdf)

    assert delivery.status == DeliveryStatus.DELIVERED
    (message,) = office_smtp.to(OFFICE)
    assert (
        message["Subject"]
        .strip()
        .startswith(f"Neuer Antrag {submission.reference}: Fischereischein")
    )
    assert "Stadt Alpha" in message["From"]
    body = _body(message)
    assert "Nachname: Muster" in body
    assert "Gewässer: Elbe" in body
    assert "Anschrift: Hafenstraße 3a, 01067 Dresden" in body
    assert "Angehängte Dateien:" in body
    assert _attachments(message) == {
        f"{submission.reference}.pdf": ("application/pdf", receipt),
        "passfoto.png": ("image/png", PNG),
    }


def test_above_the_limit_the_files_come_as_links_that_download_the_same_bytes(
    office_smtp, fishing_form, tenant_a, client_for
):
    big = PNG + b"\x00" * 1_200_000
    with schema_context(tenant_a.schema_name):
        _target(max_attachment_mb="1")
        delivery, submission = _send(
            fishing_form, photo=SimpleUploadedFile("gross.png", big, content_type="image/png")
        )
        receipt = bytes(submission.receipt.pdf)

    assert delivery.status == DeliveryStatus.DELIVERED
    (message,) = office_smtp.to(OFFICE)
    assert _attachments(message) == {}
    body = _body(message)
    assert "zu groß" in body
    links = re.findall(r"https?://\S+/handover/files/\S+/", body)
    assert len(links) == 2
    client = client_for(tenant_a)
    fetched = []
    for link in links:
        response = client.get(urlsplit(link).path)
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        fetched.append(content)
    assert fetched == [receipt, big]


def test_a_retry_does_not_send_again_what_the_mail_server_accepted(
    office_smtp, fishing_form, tenant_a
):
    # given two office addresses, the second of which the mail server puts off for now
    second = "leitung@alpha.example"
    office_smtp.refuse[second] = "451 4.3.0 try again later"
    with schema_context(tenant_a.schema_name):
        _target(addresses=f"{OFFICE}\n{second}")
        delivery, _submission = _send(fishing_form)
        assert (delivery.status, delivery.last_problem) == (
            DeliveryStatus.PENDING,
            "receiver_error",
        )
        assert len(office_smtp.to(OFFICE)) == 1 and office_smtp.to(second) == []

        # when the retry runs once the mail server takes it
        del office_smtp.refuse[second]
        run_jobs("deliver")
        delivery.refresh_from_db()
        # and a worker killed after the hand-off, before it recorded it, sends it again
        delivery = Delivery.objects.select_related("target").get(pk=delivery.pk)
        EmailBackend().deliver(parcel_of(delivery), delivery.target.config)

    # then each address has the mail once, with one Message-ID per address and key
    assert delivery.status == DeliveryStatus.DELIVERED
    (first,) = office_smtp.to(OFFICE)
    (other,) = office_smtp.to(second)
    assert first["Message-ID"] != other["Message-ID"]
    assert first["Subject"] == other["Subject"]


def test_a_refused_mailbox_fails_without_retries(office_smtp, fishing_form, tenant_a):
    office_smtp.refuse[OFFICE] = "550 5.1.1 no such mailbox"
    with schema_context(tenant_a.schema_name):
        _target()
        delivery, _submission = _send(fishing_form)
    assert (delivery.status, delivery.last_problem) == (DeliveryStatus.FAILED, "refused")
    assert delivery.last_detail == "SMTP recipient refused: 550"
    assert delivery.attempts == 1


def test_a_mail_server_that_is_down_is_retried(office_smtp, fishing_form, tenant_a):
    office_smtp.controller.stop()
    with schema_context(tenant_a.schema_name):
        _target()
        delivery, _submission = _send(fishing_form)
    assert (delivery.status, delivery.last_problem) == (DeliveryStatus.PENDING, "unreachable")
    assert delivery.next_attempt_at is not None


def test_the_settings_take_addresses_and_a_bounded_limit():
    with translation.override("en"):
        form = EmailTargetForm(
            data={"addresses": "a@x.example, kein-mail", "max_attachment_mb": 10}
        )
        assert not form.is_valid()
        assert form.errors["addresses"] == ["“kein-mail” is not an email address."]
        form = EmailTargetForm(data={"addresses": "a@x.example", "max_attachment_mb": 50})
        assert not form.is_valid() and "max_attachment_mb" in form.errors
    form = EmailTargetForm(data={"addresses": "a@x.example\nA@x.example; b@x.example"})
    assert not form.is_valid()  # the limit has no default in a posted form
    form = EmailTargetForm(
        data={"addresses": "a@x.example\nA@x.example; b@x.example", "max_attachment_mb": 10}
    )
    assert form.is_valid()
    assert form.cleaned_data == {
        "addresses": ["a@x.example", "b@x.example"],
        "max_attachment_mb": 10,
    }
    assert EmailBackend().check_target(form.cleaned_data) == []
