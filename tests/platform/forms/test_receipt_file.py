"""The receipt is one file, made at submit: the copy in the mail and every download are the same
bytes, with the checksum the citizen is shown; it carries the tenant's letterhead and German
metadata, and no page of it holds a lone word."""

from __future__ import annotations

import hashlib
import io
import re

from django.core import mail
from django_tenants.utils import schema_context
from pypdf import PdfReader

from portalwerk.platform.authz.actors import anonymous
from portalwerk.platform.forms.models import Receipt
from portalwerk.platform.forms.receipts import render_receipt
from tests.helpers.forms import PERSON_STEP, make_submission, png, publish_form, run_jobs


def logo_png() -> bytes:
    """A small coat of arms, as a tenant admin uploads it (PNG)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 48), (160, 20, 40)).save(out, format="PNG")
    return out.getvalue()


def submit_dog_form(client) -> str:
    url = client.post("/forms/dog-licence/")["Location"]
    base = url.rsplit("/", 2)[0]
    client.post(url, {"first_name": "Anna", "last_name": "Muster", "email": "anna@example.com"})
    client.post(f"{base}/dog/", {"has_dog": "yes", "dog_name": "Bello"})
    client.post(f"{base}/documents/", {"photo": png()})
    client.post(f"{base}/confirm/", {"truth": "yes"})
    check = client.get(f"{base}/check/").content.decode()
    key = re.search(r'name="idempotency_key" value="(\w+)"', check).group(1)
    return client.post(f"{base}/check/", {"idempotency_key": key})["Location"]


def test_the_mailed_and_the_downloaded_receipt_are_the_same_file_with_its_checksum(
    client_for, published_form, tenant_a
):
    client = client_for(tenant_a)
    reference = submit_dog_form(client).rstrip("/").rsplit("/", 1)[-1]
    done = client.get(f"/forms/done/{reference}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    shown = re.search(r'<code class="checksum">([0-9a-f]{64})</code>', done).group(1)
    # when the citizen downloads the receipt, twice, and the confirmation mail goes out
    first = client.get(f"/forms/done/{reference}/receipt.pdf").content
    second = client.get(f"/forms/done/{reference}/receipt.pdf").content
    with schema_context(tenant_a.schema_name):
        mail.outbox.clear()
        run_jobs("send_submission_receipt")
        assert Receipt.objects.filter(submission__reference=reference).count() == 1
    [message] = mail.outbox
    [(name, attached, kind)] = message.attachments
    # then every copy is the same file, and the checksum shown is the file's
    assert first == second == attached and first.startswith(b"%PDF")
    assert hashlib.sha256(first).hexdigest() == shown
    assert f"SHA-256): {shown}" in message.body


def test_the_receipt_has_the_letterhead_and_german_metadata(published_form, tenant_a, settings):
    from portalwerk.platform.catalog.models import Office, PortalSettings, Service

    with schema_context(tenant_a.schema_name):
        # given the portal's logo and the office responsible for the form's service
        PortalSettings.objects.create(portal_name="Alpha", logo=logo_png(), logo_type="image/png")
        office = Office.objects.create(
            slug="ordnungsamt",
            name_de="Ordnungsamt",
            street="Marktplatz 1",
            postcode="12345",
            city="Alphastadt",
            phone="01234 5678",
            email="ordnungsamt@alpha.example",
        )
        Service.objects.create(slug="hundesteuer", name_de="Hundesteuer", office=office)
        submission = make_submission(
            published_form,
            anonymous(),
            {
                "person": {"first_name": "Jörg", "last_name": "Weiß", "email": "j@example.com"},
                "dog": {"has_dog": "no"},
                "confirm": {"truth": True},
            },
        )
        pdf = bytes(Receipt.objects.get(submission=submission).pdf)
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0].extract_text()
    for part in ("Stadt Alpha", "Ordnungsamt", "Marktplatz 1", "12345 Alphastadt", "01234 5678"):
        assert part in first
    assert "ordnungsamt@alpha.example" in first
    assert len(reader.pages[0].images) == 1  # the logo
    meta = reader.metadata
    assert meta.title == f"Eingangsbestätigung {submission.reference} – Hundeanmeldung"
    assert meta.author == "Stadt Alpha" and meta.subject == "Hundeanmeldung"
    assert reader.trailer["/Root"]["/Lang"] == "de"


NOTES_FORM = {
    "steps": [
        PERSON_STEP,
        {
            "key": "notes",
            "title": {"de": "Begründung", "en": "Reasons"},
            "fields": [
                {
                    "key": f"note_{i}",
                    "type": "textarea",
                    "label": {"de": f"Begründung {i}", "en": f"Reason {i}"},
                }
                for i in range(3)
            ],
        },
    ],
}


def test_no_page_of_the_receipt_holds_a_lone_word(tenant_a, clerk):
    with schema_context(tenant_a.schema_name):
        form = publish_form(clerk, "notes", {"de": "Antrag", "en": "Application"}, NOTES_FORM)
        submission = make_submission(
            form,
            anonymous(),
            {
                "person": {"first_name": "A", "last_name": "B", "email": "a@example.org"},
                "notes": {"note_0": "x"},
            },
        )
        lone = []
        # answers of every length from half a page to three pages, in steps of a few words:
        # wherever a page ends, no page may start or end with a single stray line
        for words in range(150, 1400, 9):
            submission.answers = {
                **submission.answers,
                "note_0": "Antwort " * 40,
                "note_1": " ".join(f"Wort{i}" for i in range(words)),
                "note_2": "Schluss.",
            }
            pdf = render_receipt(submission, tenant_name="Stadt Alpha", lang="de")
            for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
                lines = [line for line in page.extract_text().splitlines() if line.strip()]
                if len(lines) < 2 or len(" ".join(lines).split()) < 3:
                    lone.append((words, number, lines))
    assert lone == []
