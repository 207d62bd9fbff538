"""The hand-over pages (issue 13) in German and English at 320 px: axe-core, the Nu HTML
checker and reflow, like the other back-office pages (`test_html_and_reflow_browser`): the
clerk's submission with a failed hand-over, the failed hand-overs, and the tenant admin's
targets (list, choosing a kind, the settings form empty and with errors, a target with the
result of a test). The targets use the loopback test backend and a real receiver."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.browser.test_html_and_reflow_browser import Walker
from tests.browser.test_remaining_pages_browser import LOCALES, PASSWORD, sign_in
from tests.helpers.forms import PERSON_STEP, delete_forms_data, make_submission, publish_form
from tests.helpers.vnu import check_files
from tests.platform.handover.backoffice.conftest import (  # noqa: F401 (fixtures)
    PERSON,
    loopback_backend,
    receiver,
)

pytestmark = pytest.mark.browser

CLERK = "ho-clerk@alpha.example"
ADMIN = "ho-admin@alpha.example"


@pytest.fixture
def handover_data(live_db, loopback_backend, receiver):  # noqa: F811
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.authz.actors import anonymous, from_user
    from portalwerk.platform.handover import targets
    from portalwerk.platform.handover.models import Delivery, Target
    from portalwerk.tenants.models import Tenant

    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user(CLERK, PASSWORD, role=Role.CLERK_PROCESSOR)
        admin = User.objects.create_user(ADMIN, PASSWORD, role=Role.TENANT_ADMIN)
        form = publish_form(
            clerk, "angeln", {"de": "Angeln", "en": "Fishing"}, {"steps": [PERSON_STEP]}
        )
        target = targets.add_target(
            actor=from_user(admin),
            backend="loopback",
            name="Fachverfahren Fischerei",
            config={"url": receiver.url, "token": receiver.token, "timeout": "3"},
            form_ids=[form.pk],
        )
        submission = make_submission(form, anonymous(), PERSON)
        Delivery.objects.filter(submission=submission).update(
            status="failed", attempts=10, last_problem="timeout", last_detail="read timed out"
        )
    yield {"schema": tenant.schema_name, "submission": submission.pk, "target": target.pk}
    with schema_context(tenant.schema_name):
        from portalwerk.platform.audit.models import Entry

        Delivery.objects.all().delete()
        Target.objects.all().delete()
        delete_forms_data()
        Entry.objects.all().delete()
        User.objects.filter(email__in=[CLERK, ADMIN]).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = %s", [tenant.schema_name]
        )
    connection.set_schema_to_public()


def _walk(walker: Walker, base: str, data: dict, check) -> None:
    page = walker.page

    def visit(url: str, status: int = 200) -> None:
        response = page.goto(url)
        assert response.status == status, f"{url}: {response.status}"
        walker.record(response.text())
        check(page)

    def submit(selector: str) -> None:
        with page.expect_navigation():
            page.locator(selector).first.click()
        walker.record(page.content())
        check(page)

    page.context.clear_cookies()
    sign_in(page, base, CLERK)
    visit(f"{base}/backoffice/inbox/{data['submission']}/")
    assert "Fachverfahren Fischerei" in page.inner_text("main")
    visit(f"{base}/backoffice/handover/failed/")
    page.context.clear_cookies()
    sign_in(page, base, ADMIN)
    visit(f"{base}/backoffice/handover/targets/")
    visit(f"{base}/backoffice/handover/targets/add/")
    submit("main form button[type=submit]")  # the loopback kind, checked first
    assert page.locator("#id_config-url").count() == 1
    page.fill("#id_config-url", "keine Adresse")
    submit("main form button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    visit(f"{base}/backoffice/handover/targets/{data['target']}/")
    submit("form[action$='/test/'] button")
    assert page.locator(".notice").count() == 1


def test_hand_over_pages_are_accessible_valid_html_and_reflow_at_320_px(
    live_url, handover_data, new_page, assert_accessible, tmp_path
):
    files, wide = [], {}
    for language in ("de", "en"):
        page = new_page(locale=LOCALES[language], viewport={"width": 320, "height": 800})
        walker = Walker(page, tmp_path, language)

        def check(page, language=language):
            assert page.evaluate("document.documentElement.lang").startswith(language)
            assert_accessible(page)

        _walk(walker, live_url, handover_data, check)
        files += walker.files
        wide.update(walker.wide)
    assert not wide, "wider than 320 px:\n" + "\n".join(f"{k}: {v}" for k, v in wide.items())
    errors = check_files(files)
    assert not errors, "Nu HTML checker:\n" + "\n".join(errors)
