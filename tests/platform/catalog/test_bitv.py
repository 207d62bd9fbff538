"""BITV 2.0: the accessibility statement generated from the tenant's entries and the platform's
knowledge, its feedback form, the arbitration body of the tenant's state, Leichte Sprache and
German Sign Language pages, and brand colours that keep the buttons apart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.platform.catalog.bitv.arbitration import BODIES, body_for
from portalwerk.platform.catalog.colours import validate_brand_colour
from portalwerk.platform.catalog.models import (
    AccessibilityFeedback,
    AccessibilityStatement,
    PortalSettings,
    SignLanguageVideo,
)
from tests.helpers.forms import run_jobs


@pytest.fixture(autouse=True)
def _fresh_limits(db):
    from portalwerk.platform.ratelimits.models import Counter

    Counter.objects.all().delete()


def test_every_state_has_an_arbitration_body_and_nrw_has_its_ombudsstelle():
    assert sorted(BODIES) == [f"{n:02d}" for n in range(1, 17)]
    nrw = body_for("05998004")
    assert nrw.state == "Nordrhein-Westfalen"
    assert nrw.name.startswith("Ombudsstelle für barrierefreie Informationstechnik")
    assert "§ 10d" in nrw.law and nrw.url == "https://www.lbbp.nrw.de/ombudsstelle"
    assert body_for("").state == "Bund"


def test_a_confirmed_arbitration_body_names_its_source_and_a_way_to_reach_it():
    for key, body in BODIES.items():
        if body.confirmed:
            assert body.source.startswith("https://"), key
            assert body.url or body.email or body.address or body.phone, key
    unconfirmed = sorted(b.state for b in BODIES.values() if not b.confirmed)
    assert unconfirmed == [
        "Brandenburg",
        "Mecklenburg-Vorpommern",
        "Niedersachsen",
        "Rheinland-Pfalz",
        "Sachsen",
        "Sachsen-Anhalt",
        "Thüringen",
    ]
    # Baden-Württemberg's body is the LZ-BARR's, not the commissioner's (corrected Dec 2026)
    assert body_for("08111000").address == "Else-Josenhans-Straße 6, 70173 Stuttgart"


def test_the_statement_is_made_from_what_the_tenant_entered(client_for, tenant_a):
    with schema_context(tenant_a.schema_name):
        statement = AccessibilityStatement.objects.create(
            conformance="partial", reviewed_on=dt.date(2026, 11, 2), response_days=10
        )
        statement.barriers.create(
            description_de="Alte PDF-Bescheide sind nicht barrierefrei.",
            alternative_de="Wir senden Ihnen den Bescheid als Text.",
        )
    page = client_for(tenant_a).get("/accessibility/", HTTP_ACCEPT_LANGUAGE="de")
    html = page.content.decode()
    assert "teilweise vereinbar" in html and "02.11.2026" in html
    assert "Alte PDF-Bescheide" in html and "als Text" in html
    assert "innerhalb von 10 Tagen" in html
    assert "Ombudsstelle für barrierefreie Informationstechnik" in html
    assert 'href="https://www.lbbp.nrw.de/ombudsstelle"' in html
    # English: the German body and barrier are marked as German
    english = client_for(tenant_a).get("/accessibility/", HTTP_ACCEPT_LANGUAGE="en")
    text = english.content.decode()
    assert "partially compliant" in text and '<p lang="de"><a href="https://www.lbbp' in text
    assert '<p lang="de">Alte PDF-Bescheide' in text


def test_feedback_reaches_the_back_office_and_the_contact(client_for, tenant_a, clerk):
    with schema_context(tenant_a.schema_name):
        PortalSettings.objects.create(feedback_email="barrierefreiheit@alpha.example")
        AccessibilityStatement.objects.create(response_days=7)
    client = client_for(tenant_a)
    # an empty message: an error summary and "Fehler:" in the title
    empty = client.post("/accessibility/", {"message": ""})
    assert empty.status_code == 400 and "<title>Fehler: " in empty.content.decode()
    sent = client.post(
        "/accessibility/",
        {"message": "Das Captcha ist nicht lesbar.", "email": "ben@example.org"},
        follow=True,
    )
    assert 'role="status"><p>Vielen Dank.' in sent.content.decode()
    with schema_context(tenant_a.schema_name):
        feedback = AccessibilityFeedback.objects.get()
        # counted in the office's days: just after midnight in Germany it is still yesterday in UTC
        received_on = timezone.localdate(feedback.received_at)
        assert feedback.answer_by - received_on == dt.timedelta(days=7)
        run_jobs("send_feedback_mail")
    assert mail.outbox[0].to == ["barrierefreiheit@alpha.example"]
    assert "Captcha" in mail.outbox[0].body and mail.outbox[0].reply_to == ["ben@example.org"]
    # the clerk finds it in the back office
    back_office = client_for(tenant_a)
    back_office.sign_in(clerk.email)
    listing = back_office.get("/backoffice/catalog/accessibilityfeedback/")
    assert listing.status_code == 200 and "ben@example.org" in listing.content.decode()


def test_feedback_is_rate_limited(client_for, tenant_a):
    client = client_for(tenant_a)
    for _ in range(5):
        assert client.post("/accessibility/", {"message": "Barriere"}).status_code == 302
    limited = client.post("/accessibility/", {"message": "Barriere"})
    assert limited.status_code == 429 and "eine Stunde" in limited.content.decode()
    with schema_context(tenant_a.schema_name):
        assert AccessibilityFeedback.objects.count() == 5


def test_leichte_sprache_ships_defaults_that_the_tenant_can_replace(client_for, tenant_a):
    page = client_for(tenant_a).get("/leichte-sprache/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert '<div lang="de" class="easy-language">' in html
    assert "Das ist die Internet-Seite von Stadt Alpha." in html
    assert "So benutzen Sie die Seite" in html and "Barriere-frei heißt" in html
    with schema_context(tenant_a.schema_name):
        AccessibilityStatement.objects.create(easy_content="Hier ist unser eigener Text.")
    html = client_for(tenant_a).get("/leichte-sprache/").content.decode()
    assert "Hier ist unser eigener Text." in html and "Das ist die Internet-Seite" not in html
    assert "Barriere-frei heißt" in html  # the other parts keep the shipped text


def test_the_sign_language_page_says_when_there_is_no_video(client_for, tenant_a):
    html = client_for(tenant_a).get("/sign-language/").content.decode()
    assert "noch keine Videos in Deutscher Gebärdensprache" in html
    with schema_context(tenant_a.schema_name):
        SignLanguageVideo.objects.create(
            title_de="Willkommen",
            video_url="https://videos.example/willkommen.mp4",
            captions_url="https://videos.example/willkommen.vtt",
            transcript_de="Herzlich willkommen im Portal.",
        )
    html = client_for(tenant_a).get("/sign-language/").content.decode()
    assert '<track kind="captions" src="https://videos.example/willkommen.vtt"' in html
    assert "Herzlich willkommen im Portal." in html and "noch keine Videos" not in html


def test_a_brand_colour_like_the_primary_button_is_refused():
    # Kreis Musterland's former dark green: its secondary buttons looked like "Continue"
    with pytest.raises(ValidationError) as caught:
        validate_brand_colour("#1d5e3a")
    assert caught.value.code == "colours_alike"
    validate_brand_colour("#00548a")  # blue: accepted
    validate_brand_colour("#8a1538")  # the district's colour now
