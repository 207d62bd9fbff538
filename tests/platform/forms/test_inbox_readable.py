"""What clerks read in the inbox and on a submission (issue 15): the history and the fee in words
and money, no status chosen for the clerk, and an export German Excel opens as it is."""

import csv
import io

from django.core import mail
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import anonymous, from_user
from portalwerk.platform.casework import services as casework
from portalwerk.platform.forms import services
from portalwerk.platform.forms.models import Submission
from tests.helpers.forms import PERSON_STEP, png, publish_form, run_jobs
from tests.platform.forms.test_inbox import (  # noqa: F401 (the autouse fixture)
    _handed_over_before_payment,
    make_submission,
)


def german_clerk(client_for, tenant, clerk):
    client = client_for(tenant)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    assert client.sign_in(clerk.email).status_code == 302
    return client


def test_the_history_names_statuses_and_the_fee_is_money(
    client_for, published_form, tenant_a, clerk
):
    submission = make_submission(tenant_a)
    with schema_context(tenant_a.schema_name):
        casework.change_status(
            actor=from_user(clerk), submission_id=submission.pk, status="in_progress"
        )
        Submission.objects.filter(pk=submission.pk).update(fee_cents=3500)
    page = german_clerk(client_for, tenant_a, clerk).get(f"/backoffice/inbox/{submission.pk}/")
    html = page.content.decode()
    assert "von „eingegangen“ zu „in Bearbeitung“" in html
    assert "received → in_progress" not in html
    assert "35,00 €" in html and "3500 ct" not in html


def test_no_new_status_is_chosen_for_the_clerk(client_for, published_form, tenant_a, clerk):
    submission = make_submission(tenant_a)
    client = german_clerk(client_for, tenant_a, clerk)
    html = client.get(f"/backoffice/inbox/{submission.pk}/").content.decode()
    start = html.index('id="f-status"')
    select = html[start : html.index("</select>", start)]
    assert "required" in select
    assert '<option value="" selected>Bitte wählen</option>' in select
    assert "selected" not in select.replace('<option value="" selected>', "")
    # sent as the page comes: nothing changes, and the clerk is told what to do
    response = client.post(
        f"/backoffice/inbox/{submission.pk}/", {"action": "status", "status": ""}
    )
    assert response.status_code == 400
    assert "Wählen Sie den neuen Status." in response.content.decode()
    assert 'href="#f-status"' in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.get(pk=submission.pk).status == "received"
        assert not mail.outbox or all("Status" not in m.subject for m in mail.outbox)


def test_exporting_nothing_is_a_message_on_the_inbox(client_for, published_form, tenant_a, clerk):
    client = german_clerk(client_for, tenant_a, clerk)
    response = client.post(
        "/backoffice/inbox/export/", {"format": "csv", "query": "status=received"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/backoffice/inbox/?status=received"
    assert "Wählen Sie mindestens einen Antrag für den Export aus." in response.content.decode()


LICENCE = {
    "steps": [
        PERSON_STEP,
        {
            "key": "details",
            "title": {"de": "Angaben", "en": "Details"},
            "fields": [
                {
                    "key": "resident",
                    "type": "yesno",
                    "required": True,
                    "label": {"de": "Wohnen Sie hier?", "en": "Do you live here?"},
                },
                {
                    "key": "duration",
                    "type": "choice",
                    "required": True,
                    "label": {"de": "Gültigkeit", "en": "Valid for"},
                    "options": [
                        {"value": "1", "label": {"de": "1 Jahr", "en": "1 year"}},
                        {"value": "5", "label": {"de": "5 Jahre", "en": "5 years"}},
                    ],
                },
                {
                    "key": "helpers",
                    "type": "repeat",
                    "label": {"de": "Begleitperson", "en": "Companion"},
                    "max_items": 3,
                    "fields": [
                        {"key": "helper_name", "type": "text", "label": {"de": "Name"}},
                    ],
                },
                {
                    "key": "photo",
                    "type": "file",
                    "label": {"de": "Foto", "en": "Photo"},
                    "validation": {"file_types": ["png"]},
                },
            ],
        },
        {
            "key": "contact",
            "title": {"de": "Erreichbarkeit", "en": "Contact"},
            "fields": [
                # the same label as a question of the first step: headers stay unique
                {"key": "email_work", "type": "text", "label": {"de": "E-Mail-Adresse"}},
            ],
        },
    ]
}


def submit_licence(form, name: str, resident: str, helpers: list, with_photo: bool):
    actor = anonymous()
    draft = services.start_draft(actor=actor, form=form)
    services.save_step(
        actor=actor,
        draft=draft,
        step_key="person",
        raw={"first_name": name, "last_name": "Muster", "email": f"{name.lower()}@example.org"},
    )
    raw = {"resident": resident, "duration": "5", "helpers": helpers}
    if with_photo:
        photo = services.store_upload(
            actor=actor, draft=draft, field_key="photo", file=png("ich.png")
        )
        raw["photo"] = str(photo.pk)
    services.save_step(actor=actor, draft=draft, step_key="details", raw=raw)
    services.save_step(actor=actor, draft=draft, step_key="contact", raw={"email_work": ""})
    return services.submit_draft(actor=actor, draft=draft)


def test_the_csv_export_opens_in_german_excel(client_for, tenant_a, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with schema_context(tenant_a.schema_name):
        form = publish_form(clerk, "licence", {"de": "Angelkarte", "en": "Angling card"}, LICENCE)
        first = submit_licence(form, "Anna", "yes", [{"helper_name": "Bo"}], True)
        second = submit_licence(
            form, "Bernd", "no", [{"helper_name": "Cem"}, {"helper_name": "Dana"}], False
        )
        run_jobs()
    client = german_clerk(client_for, tenant_a, clerk)
    response = client.post(
        "/backoffice/inbox/export/", {"ids": [first.pk, second.pk], "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "Antr%C3%A4ge-" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark
    text = content.decode("utf-8-sig")
    header_line = text.splitlines()[0]
    assert header_line.count(";") >= 10 and "," not in header_line
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, anna, bernd = rows
    assert len(header) == len(set(header)), header  # no header twice
    assert header[:8] == [
        "Aktenzeichen",
        "Formular",
        "Formularversion",
        "Status",
        "Eingereicht am",
        "Antragstellende Person",
        "E-Mail-Adresse",
        "Gebühr",
    ]
    # one column per question, in the form's order
    assert header[8:] == [
        "Vorname",
        "Nachname",
        "E-Mail-Adresse (Angaben zur Person)",
        "Wohnen Sie hier?",
        "Gültigkeit",
        "Begleitperson 1: Name",
        "Begleitperson 2: Name",
        "Foto",
        "E-Mail-Adresse (Erreichbarkeit)",
    ]
    by_name = dict(zip(header, anna, strict=True))
    assert by_name["Aktenzeichen"] == first.reference
    assert by_name["Formular"] == "Angelkarte" and by_name["Status"] == "eingegangen"
    assert by_name["Wohnen Sie hier?"] == "Ja" and by_name["Gültigkeit"] == "5 Jahre"
    assert by_name["Begleitperson 1: Name"] == "Bo" and by_name["Begleitperson 2: Name"] == ""
    assert by_name["Foto"].startswith("ich.png (http")
    assert "/files/" in by_name["Foto"]
    assert "True" not in anna and "False" not in bernd
    assert dict(zip(header, bernd, strict=True))["Wohnen Sie hier?"] == "Nein"
    assert dict(zip(header, bernd, strict=True))["Begleitperson 2: Name"] == "Dana"
    assert dict(zip(header, bernd, strict=True))["Foto"] == ""
