"""What a back office reported is what the applicant sees: case number, status history and
notices with their document on the application's pages (German and English), a mail with no
personal data in it, and the clerk's read-only list."""

from __future__ import annotations

import base64
import re

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import anonymous
from portalwerk.platform.forms import links
from tests.conftest import make_user
from tests.helpers.forms import PDF, run_jobs
from tests.platform.handover.conftest import hand_over, post_report, report_body

NOTICE = "Ihr Fischereischein ist fertig. Abholung im Bürgerbüro, Zimmer 3."


def _report_all(client, handed):
    """The back office's day: a case number, two statuses, a notice with the PDF."""
    sent = [
        report_body(handed, "e1", case_number="FI-2026-0042"),
        report_body(handed, "e2", status="in Bearbeitung"),
        report_body(
            handed,
            "e3",
            status="Bescheid erstellt",
            message=NOTICE,
            document={
                "name": "Bescheid.pdf",
                "content_type": "application/pdf",
                "content_base64": base64.b64encode(PDF).decode(),
            },
        ),
    ]
    for body in sent:
        assert post_report(client, handed.target, body).status_code == 200


@pytest.fixture
def handed(tenant_a, citizen, client_for):
    handed = hand_over(tenant_a, citizen)
    mail.outbox.clear()
    _report_all(client_for(tenant_a), handed)
    return handed


def _signed_in(client_for, tenant, user):
    client = client_for(tenant)
    assert client.sign_in(user.email).status_code == 302
    return client


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", ["Bearbeitung im Amt", "Aktenzeichen", "Statusverlauf", "herunterladen"]),
        ("en", ["Processing at the office", "Case number", "Status history", "Download"]),
    ],
)
def test_the_application_page_shows_case_number_history_and_notice(
    handed, client_for, tenant_a, citizen, language, words
):
    client = _signed_in(client_for, tenant_a, citizen)
    page = client.get(
        f"/my/applications/{handed.submission.reference}/", HTTP_ACCEPT_LANGUAGE=language
    )
    html = page.content.decode()
    assert page.status_code == 200
    for word in words:
        assert word in html
    assert "FI-2026-0042" in html
    history = html[html.index("status-history") :]
    assert history.index("in Bearbeitung") < history.index("Bescheid erstellt")
    assert re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d</time>: in Bearbeitung", html)
    assert NOTICE in html
    # and the list of applications names the case number and the latest reported status
    listing = client.get("/my/applications/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "FI-2026-0042" in listing and "Bescheid erstellt" in listing


def test_the_notice_document_downloads_for_the_applicant_only(
    handed, client_for, tenant_a, tenant_b, citizen
):
    owner = _signed_in(client_for, tenant_a, citizen)
    page = owner.get(f"/my/applications/{handed.submission.reference}/").content.decode()
    [url] = re.findall(r'href="(/my/applications/[^"]+/documents/\d+/)"', page)
    response = owner.get(url)
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="Bescheid.pdf"' in response["Content-Disposition"]
    # another citizen, a stranger, and the same address on another tenant's host get nothing
    other = make_user(tenant_a, "other@alpha.example", "citizen")
    assert _signed_in(client_for, tenant_a, other).get(url).status_code == 404
    assert client_for(tenant_a).get(url).status_code == 404
    assert client_for(tenant_b).get(url).status_code == 404


def test_an_applicant_without_an_account_sees_the_history_through_the_access_link(
    tenant_a, client_for
):
    handed = hand_over(tenant_a, anonymous(), language="en", email="anna@example.com")
    client = client_for(tenant_a)
    _report_all(client, handed)
    with schema_context(tenant_a.schema_name):
        path = links.issue(handed.submission)
    browser = client_for(tenant_a)
    opened = browser.get(path, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    html = opened.content.decode()
    assert opened.status_code == 200
    assert "Status history" in html and "Bescheid erstellt" in html and NOTICE in html
    [url] = re.findall(r'href="(/my/applications/[^"]+/documents/\d+/)"', html)
    assert browser.get(url).content == PDF


def test_the_mail_tells_of_news_without_personal_data_in_the_applicants_language(
    tenant_a, client_for
):
    # given an English-speaking applicant without an account
    handed = hand_over(tenant_a, anonymous(), language="en", email="anna@example.com")
    mail.outbox.clear()
    _report_all(client_for(tenant_a), handed)
    with schema_context(tenant_a.schema_name):
        run_jobs("send_report_notice")
        run_jobs("send_report_notice")  # nothing left: each report mails once
    # then one mail per status or notice, none for the case number alone
    sent = [m for m in mail.outbox if m.to == ["anna@example.com"]]
    assert len(sent) == 2
    for message in sent:
        text = message.subject + message.body
        assert handed.submission.reference in text
        assert "There is news about your application" in message.body
        assert "/my/applications/link/" in message.body
        for personal in ("Erika", "Musterfrau", NOTICE, "Bescheid erstellt", "FI-2026-0042"):
            assert personal not in text


def test_the_same_status_again_mails_nobody_and_a_german_applicant_reads_german(
    tenant_a, client_for, citizen
):
    handed = hand_over(tenant_a, citizen)
    client = client_for(tenant_a)
    mail.outbox.clear()
    for event in ("s1", "s2"):
        post_report(client, handed.target, report_body(handed, event, status="in Bearbeitung"))
    with schema_context(tenant_a.schema_name):
        run_jobs("send_report_notice")
    [message] = [m for m in mail.outbox if m.to == ["erika@example.org"]]
    assert "Es gibt Neuigkeiten zu Ihrem Antrag" in message.body


def test_the_clerk_sees_the_reports_on_the_submission(handed, client_for, tenant_a, clerk):
    client = _signed_in(client_for, tenant_a, clerk)
    with schema_context(tenant_a.schema_name):
        pk = handed.submission.pk
    html = client.get(f"/backoffice/inbox/{pk}/").content.decode()
    section = html[html.index("handover-reports") :]
    assert "FI-2026-0042" in section and "Bescheid erstellt" in section
    assert "Bescheid.pdf" in section and "Fachverfahren" in section
