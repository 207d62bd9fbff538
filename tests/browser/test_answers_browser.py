"""Answers back in the browser: the application's page, the list and the link holder's page
with a case number, a status history and a notice with a document are axe-clean in German
and English and reflow at 320 px; the clerk's detail page with the reports is axe-clean.

Uses the `data` fixture of the remaining-pages module; adds a target, deliveries and reports
to its submissions (removed with the submissions by that fixture's clean-up)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.browser.test_html_and_reflow_browser import OVERFLOW
from tests.browser.test_remaining_pages_browser import (  # noqa: F401 (fixture)
    CITIZEN,
    CLERK,
    DESKTOP,
    NARROW,
    Visitor,
    data,
)

pytestmark = pytest.mark.browser

NOTICE = "Ihr Bescheid liegt bei. Bitte prüfen Sie die Angaben und melden Sie sich bei Fragen."


@pytest.fixture
def reported(data):  # noqa: F811
    from portalwerk.platform.forms.models import Submission
    from portalwerk.platform.handover.models import Delivery, Report, Target
    from tests.helpers.forms import PDF

    with schema_context(data.schema):
        target = Target.objects.create(name="Fachverfahren Browser", backend="webhook")
        for n, submission in enumerate(Submission.objects.all()):
            delivery = Delivery.objects.create(submission=submission, target=target)
            for event, fields in enumerate(
                [
                    {"kind": "case_number", "case_number": f"FI-2026-{n:04d}-LANGES-AKTENZEICHEN"},
                    {"kind": "status", "status": "in Bearbeitung"},
                    {
                        "kind": "message",
                        "status": "Bescheid erstellt",
                        "message": NOTICE,
                        "document_name": "Bescheid_Fischereischein_mit_langem_Namen_2026.pdf",
                        "document_kind": "pdf",
                        "document": PDF,
                    },
                ]
            ):
                Report.objects.create(
                    delivery=delivery,
                    target=target,
                    submission=submission,
                    event_id=f"browser-{n}-{event}",
                    **fields,
                )
    yield data
    with schema_context(data.schema):
        Report.objects.filter(target=target).delete()
        Delivery.objects.filter(target=target).delete()
        target.delete()


def _reflows(visitor) -> None:
    assert visitor.page.evaluate(OVERFLOW) == [], visitor.page.url


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_reported_history_is_accessible_in_both_languages_and_at_320_px(
    live_url, reported, new_page, assert_accessible, language
):
    for viewport in (DESKTOP, NARROW):
        visitor = Visitor(new_page, assert_accessible, language, viewport)
        visitor.sign_in(live_url, CITIZEN)
        visitor.visit(f"{live_url}/my/applications/")
        assert "LANGES-AKTENZEICHEN" in visitor.page.inner_text("main")
        visitor.visit(f"{live_url}/my/applications/{reported.reference}/")
        main = visitor.page.inner_text("main")
        assert "Bescheid erstellt" in main and NOTICE in main
        _reflows(visitor)
        guest = Visitor(new_page, assert_accessible, language, viewport)
        guest.visit(live_url + reported.link_path)
        assert "in Bearbeitung" in guest.page.inner_text("main")
        _reflows(guest)
    clerk = Visitor(new_page, assert_accessible, language, DESKTOP)
    clerk.sign_in(live_url, CLERK)
    clerk.visit(f"{live_url}/backoffice/inbox/{reported.inbox_id}/")
    assert "Fachverfahren Browser" in clerk.page.inner_text("main")
