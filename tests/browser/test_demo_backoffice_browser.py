"""Hand-over in the demo, in a real browser (issue 13): a signed-in citizen submits the fishing
licence form with the keyboard only; the demo's targets (seeded as `make demo` seeds them) take
it; the deliver job runs in-process as a worker would; the operator signs in on the base host,
finds it in the demo back office and answers there with the keyboard. The stand-in pages are
axe-clean in German and English and reflow at 320 px.

The last step, the answer in "my applications", needs the portal's status endpoint (answers
back); `test_the_answer_shows_in_my_applications` runs once that endpoint is routed."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.browser.keyboard import press_button, tab_to, type_into
from tests.browser.test_demo_forms_by_keyboard_browser import FORMS, WORDS, KeyboardCitizen
from tests.browser.test_html_and_reflow_browser import OVERFLOW
from tests.helpers.forms import delete_forms_data, run_jobs

pytestmark = pytest.mark.browser

PASSWORD = "Test-Passwort-2026!"
CITIZEN = "handover-citizen@alpha.example"
OPERATOR = "handover-operator@platform.example"
LOCALES = {"de": "de-DE", "en": "en-GB"}
ANSWER = {
    "de": {"send": "Antwort senden", "status": "Bescheid erstellt"},
    "en": {"send": "Send answer", "status": "Notice issued"},
}
# what the operator reads after sending, by whether the portal took the answer
OUTCOME = {
    "de": {True: "Das Portal hat die Antwort angenommen.", False: "nicht angenommen"},
    "en": {True: "The portal has taken the answer.", False: "did not take the answer"},
}
MESSAGE = "Your exam is on 12 May at 9:00, Kreishaus, room 3."


def status_endpoint_routed() -> bool:
    try:
        reverse("handover:status", urlconf="portalwerk.platform.urls_tenant", args=[1])
    except NoReverseMatch:
        return False
    return True


class SignedInCitizen(KeyboardCitizen):
    def _type_and_press_enter(self, field_id: str) -> None:
        # a field My account filled in already is replaced, not added to
        self.page.keyboard.press("ControlOrMeta+A")
        super()._type_and_press_enter(field_id)


@pytest.fixture
def demo(live_db, portal_server, settings, tmp_path):
    """Tenant A as `make demo` makes a tenant: the fishing licence form adopted from the shared
    library and the demo's hand-over targets; a citizen, and an operator on the base host. URLs
    carry the live server's port, so the status address the parcel names is reachable."""
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.formlibrary.library import sync_library
    from portalwerk.platform.formlibrary.models import FormTemplate
    from portalwerk.platform.forms import services
    from portalwerk.platform.handover.contrib.demo.models import DemoParcel
    from portalwerk.platform.handover.demo import seed_targets
    from portalwerk.platform.handover.models import Target
    from portalwerk.tenants.models import Tenant

    settings.PORTALWERK_PUBLIC_PORT = str(portal_server.port)
    settings.PORTALWERK_HANDOVER_DMS_FOLDER_ROOT = tmp_path / "dms"
    had_library = set(FormTemplate.objects.values_list("key", flat=True))
    sync_library()
    verified = {"email_verified_at": timezone.now()}
    User.objects.create_user(OPERATOR, PASSWORD, role=Role.OPERATOR, **verified)
    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        admin = User.objects.create_user(
            "handover-admin@alpha.example", PASSWORD, role=Role.TENANT_ADMIN
        )
        User.objects.create_user(CITIZEN, PASSWORD, role=Role.CITIZEN, **verified)
        services.adopt_template(actor=from_user(admin), key="fishing-licence-exam", publish=True)
        assert [t.name for t in seed_targets(actor=from_user(admin)) if t.backend == "demo"] == [
            "Demo-Fachverfahren"
        ]
    yield tenant
    with schema_context(tenant.schema_name):
        delete_forms_data()  # deliveries go with their submissions
        Target.objects.all().delete()
        User.objects.filter(email__in=[CITIZEN, "handover-admin@alpha.example"]).delete()
    DemoParcel.objects.all().delete()
    with connection.cursor() as cursor:
        # not through the ORM: its cascade would look for the tenant tables that name users
        cursor.execute("DELETE FROM accounts_user WHERE email = %s", [OPERATOR])
    FormTemplate.objects.exclude(key__in=had_library).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = %s", [tenant.schema_name]
        )
    connection.set_schema_to_public()


def sign_in_by_keyboard(page, url: str, email: str) -> None:
    page.goto(url)
    type_into(page, "id_email", email)
    type_into(page, "id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def submit_fishing_form(page, live_url, folder, language) -> str:
    """The citizen's part; returns the submission's reference."""
    page.on("filechooser", lambda _chooser: None)  # see test_demo_forms_by_keyboard_browser
    sign_in_by_keyboard(page, f"{live_url}/accounts/sign-in/", CITIZEN)
    page.goto(f"{live_url}/forms/fishing-licence-exam/")
    press_button(page, WORDS[language]["start"])
    citizen = SignedInCitizen(page, FORMS["fishing-licence-exam"], folder)
    while "/check/" not in page.url:
        citizen.fill_step()
    press_button(page, WORDS[language]["submit"])
    return re.search(r"ALP-\d{4}-\d{6}", page.inner_text("main")).group(0)


def deliver_as_the_worker_does(tenant) -> None:
    from django.conf import settings

    with schema_context(tenant.schema_name):
        run_jobs("send_submission_receipt")
        # to the demo back office and, as in `make demo`, an xdomea package into the DMS folder
        assert run_jobs("handover.tasks.deliver") == ["delivered", "delivered"]
    root = settings.PORTALWERK_HANDOVER_DMS_FOLDER_ROOT
    assert len(list(root.glob(f"{tenant.schema_name}/dms-ablage/*_FVDaten.SGOAblegen.0605.zip")))
    connection.set_schema_to_public()


def check_page(page, assert_accessible) -> None:
    assert_accessible(page)
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate(OVERFLOW)
    page.set_viewport_size(size)
    assert not wide, f"wider than 320 px on {page.url}: {wide}"


def operator_answers(page, platform, reference, language, assert_accessible) -> None:
    """The operator's part, in the demo back office on the base host."""
    sign_in_by_keyboard(page, f"{platform}/accounts/sign-in/?next=/demo-backoffice/", OPERATOR)
    assert page.url.endswith("/demo-backoffice/"), page.url
    main = page.inner_text("main")
    assert reference in main
    check_page(page, assert_accessible)
    tab_to_link(page, reference)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    main = page.inner_text("main")
    # what arrived: the citizen's answers, the uploaded certificate and the receipt
    assert "Lindenallee" in main and "bescheinigung.png" in main and f"{reference}.pdf" in main
    check_page(page, assert_accessible)
    # an answer sent empty names its problem, accessibly
    tab_to(page, "f-case_number")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Backspace")
    press_button(page, ANSWER[language]["send"])
    assert page.locator(".error-summary").count() == 1
    check_page(page, assert_accessible)
    type_into(page, "f-case_number", "FI-2026-0042")
    tab_to(page, "f-status")
    page.keyboard.type(ANSWER[language]["status"][:6])  # a select picks by typed letters
    assert page.evaluate("document.activeElement.value") == "notice_issued"
    type_into(page, "f-message", MESSAGE)
    press_button(page, ANSWER[language]["send"])
    check_page(page, assert_accessible)


def tab_to_link(page, text: str) -> None:
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.innerText.trim()") == text:
            return
    raise AssertionError(f"no link {text!r} reachable by Tab on {page.url}")


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_submission_reaches_the_demo_back_office_and_is_answered_there(
    live_url, demo, portal_server, new_page, assert_accessible, tmp_path, language
):
    from portalwerk.platform.handover.contrib.demo.models import DemoAnswer, DemoParcel

    citizen = new_page(locale=LOCALES[language])
    reference = submit_fishing_form(citizen, live_url, tmp_path, language)
    deliver_as_the_worker_does(demo)
    parcel = DemoParcel.objects.get(reference=reference)
    operator = new_page(locale=LOCALES[language])
    operator_answers(
        operator, portal_server.url("localhost", ""), reference, language, assert_accessible
    )
    # the answer went to the portal's status address, over HTTP on this machine, and the
    # operator reads what the portal said to it
    answer = DemoAnswer.objects.get(parcel=parcel)
    assert answer.case_number == "FI-2026-0042" and answer.message == MESSAGE
    # the status in words of the application's language (the citizen's)
    assert answer.status == ANSWER[language]["status"]
    assert answer.last_http_status is not None, answer.last_detail
    assert parcel.status_url.startswith(f"http://alpha.localhost:{portal_server.port}/")
    said = operator.inner_text("main")
    assert OUTCOME[language][answer.accepted] in said
    assert answer.accepted or answer.last_detail in said  # what the portal said, when it refused


@pytest.mark.skipif(
    not status_endpoint_routed(),
    reason="the portal's status endpoint (answers back, issue 13) is not routed on this branch",
)
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_answer_shows_in_my_applications(
    live_url, demo, portal_server, new_page, assert_accessible, tmp_path, language
):
    from portalwerk.platform.handover.contrib.demo.models import DemoAnswer

    citizen = new_page(locale=LOCALES[language])
    reference = submit_fishing_form(citizen, live_url, tmp_path, language)
    deliver_as_the_worker_does(demo)
    operator = new_page(locale=LOCALES[language])
    operator_answers(
        operator, portal_server.url("localhost", ""), reference, language, assert_accessible
    )
    assert DemoAnswer.objects.get().accepted, DemoAnswer.objects.get().last_detail
    citizen.goto(f"{live_url}/my/applications/{reference}/")
    main = citizen.inner_text("main")
    assert "FI-2026-0042" in main and ANSWER[language]["status"] in main and MESSAGE in main
    assert_accessible(citizen)
