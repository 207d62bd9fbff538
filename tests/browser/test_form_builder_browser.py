"""The form builder by keyboard (issue 15): a clerk adds a second step with a yes/no question,
a question shown only if it is answered "yes", and a fixed fee, each change with the Tab and
Enter keys, no JavaScript needed; after each change the focus is on what changed. Every builder
page (the builder, a question of each kind, a condition, the fee, removing, the expert view, a
refused change) has no axe-core violations and is valid for the Nu HTML checker in German and
English, at 1280 px and at 320 px without content wider than the screen."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.browser.keyboard import press_button, tab_to, type_into
from tests.browser.test_html_and_reflow_browser import Walker
from tests.browser.test_remaining_pages_browser import LOCALES, PASSWORD, sign_in
from tests.helpers.forms import PERSON_STEP, delete_forms_data
from tests.helpers.vnu import check_files

pytestmark = pytest.mark.browser

CLERK = "builder-clerk@alpha.example"
KINDS = ["text", "number", "date", "choice", "file", "info", "repeat"]


@pytest.fixture
def drafts(live_db):
    """One draft form per language (the keyboard run changes it), a person step each; and a
    draft with a question of each kind for the pages of every kind."""
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.audit.models import Entry
    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.forms import services
    from portalwerk.platform.forms.builder import services as builder
    from portalwerk.tenants.models import Tenant

    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user(CLERK, PASSWORD, role=Role.CLERK_PROCESSOR)
        actor = from_user(clerk)
        made = {}
        for lang in ("de", "en"):
            form = services.create_form(
                actor=actor,
                slug=f"hund-{lang}",
                title={"de": "Hundeanmeldung", "en": "Dog registration"},
                definition={"steps": [PERSON_STEP]},
            )
            made[lang] = form.pk
        every = services.create_form(
            actor=actor,
            slug="alle-arten",
            title={"de": "Alle Arten", "en": "Every kind"},
            definition={"steps": [PERSON_STEP]},
        )
        version = every.versions.get()
        for kind in KINDS:
            builder.add_field(
                actor=actor,
                version=version,
                step_key="person",
                raw={"type": kind, "label_de": f"Frage {kind}", "label_en": f"Question {kind}"},
            )
        made["every"] = every.pk
    yield made
    with schema_context(tenant.schema_name):
        delete_forms_data()
        Entry.objects.all().delete()
        User.objects.filter(email=CLERK).delete()


def focused(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def choose(page, element_id: str, value: str) -> None:
    """Tab to a select and pick an option with the arrow keys."""
    tab_to(page, element_id)
    values = page.eval_on_selector(f"#{element_id}", "s => [...s.options].map(o => o.value)")
    current = page.eval_on_selector(f"#{element_id}", "s => s.selectedIndex")
    key = "ArrowDown" if values.index(value) > current else "ArrowUp"
    for _ in range(abs(values.index(value) - current)):
        page.keyboard.press(key)
    assert page.eval_on_selector(f"#{element_id}", "s => s.value") == value


def follow_link(page, element_id: str) -> None:
    tab_to(page, element_id, limit=150)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def build_by_keyboard(page, base: str, form_id: int, lang: str, check) -> None:
    words = {
        "de": ("Hund", "Haben Sie einen Hund?", "Name des Hundes", "15,00 € für jeden Antrag."),
        "en": ("Dog", "Do you have a dog?", "Name of the dog", "€15.00 for every application."),
    }[lang]
    page.goto(f"{base}/backoffice/forms/{form_id}/versions/1/builder/")
    check(page)
    # a second step, with a yes/no question
    type_into(page, "new-step-title_de", "Hund")
    type_into(page, "new-step-title_en", "Dog")
    choose(page, "new-step-type", "yesno")
    type_into(page, "new-step-label_de", "Haben Sie einen Hund?")
    type_into(page, "new-step-label_en", "Do you have a dog?")
    press_button(page, element_id="new-step-add")
    assert focused(page) == "step-hund"
    assert page.locator(".messages[role=status]").count() == 1
    check(page)
    # a question on it
    type_into(page, "s-hund-new-label_de", "Name des Hundes")
    type_into(page, "s-hund-new-label_en", "Name of the dog")
    press_button(page, element_id="s-hund-add")
    assert focused(page) == "field-name_des_hundes"
    # shown only if the dog question is answered yes: chosen from lists
    follow_link(page, "field-name_des_hundes-change")
    check(page)
    follow_link(page, "show-if-change")
    check(page)
    choose(page, "c-pick", "haben_sie_einen_hund")
    press_button(page, element_id="c-next")
    check(page)
    choose(page, "c-op", "is")
    choose(page, "c-value", "yes")
    press_button(page, element_id="c-save")
    assert focused(page) == "field-name_des_hundes"
    assert words[1] in page.inner_text("#field-name_des_hundes")
    # a fee
    follow_link(page, "fee-change")
    check(page)
    tab_to(page, "fee-kind-none")
    page.keyboard.press("ArrowDown")
    assert page.is_checked("#fee-kind-fixed")
    press_button(page, element_id="fee-next")
    type_into(page, "fee-amount", "15,00")
    press_button(page, element_id="fee-save")
    assert focused(page) == "fee"
    assert words[3] in page.inner_text("#fee")
    check(page)


def visit_every_page(walker: Walker, base: str, drafts: dict, check) -> None:
    page = walker.page
    builder = f"{base}/backoffice/forms/{drafts['every']}/versions/1/builder"

    def visit(url: str, status: int = 200) -> None:
        response = page.goto(url)
        assert response.status == status, f"{url}: {response.status}"
        walker.record(response.text())
        check(page)

    visit(f"{builder}/")
    for kind in KINDS:
        visit(f"{builder}/fields/frage_{kind}/")
    visit(f"{builder}/fields/frage_repeat.entry/")
    visit(f"{builder}/fields/frage_number/conditions/show_if/")
    visit(f"{builder}/fields/frage_number/conditions/require_if/?field=frage_choice")
    visit(f"{builder}/steps/person/conditions/skip_if/")
    visit(f"{builder}/fee/?kind=by_answer:frage_choice")
    visit(f"{builder}/fields/frage_text/remove/")
    visit(f"{builder}/expert/")
    visit(f"{base}/backoffice/forms/{drafts['every']}/handover/")
    # a refused change: the error summary
    page.goto(f"{builder}/")
    page.fill("#new-step-title_en", "Only English")
    with page.expect_navigation():
        page.click("#new-step-add")
    assert page.locator(".error-summary").count() == 1
    assert focused(page) == ""  # the summary has the focus (it has no id)
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    walker.record(page.content())
    check(page)


def test_a_clerk_builds_a_form_by_keyboard_on_accessible_valid_pages(
    live_url, drafts, new_page, assert_accessible, tmp_path
):
    files, wide = [], {}
    for lang in ("de", "en"):
        page = new_page(locale=LOCALES[lang])

        def check(page, lang=lang):
            assert page.evaluate("document.documentElement.lang").startswith(lang)
            assert_accessible(page)

        sign_in(page, live_url, CLERK)
        build_by_keyboard(page, live_url, drafts[lang], lang, check)
        for viewport in ({"width": 1280, "height": 900}, {"width": 320, "height": 800}):
            page.set_viewport_size(viewport)
            walker = Walker(page, tmp_path, f"{lang}-{viewport['width']}")
            visit_every_page(walker, live_url, drafts, check)
            files += walker.files
            if viewport["width"] == 320:
                wide.update(walker.wide)
    assert not wide, "wider than 320 px:\n" + "\n".join(f"{k}: {v}" for k, v in wide.items())
    errors = check_files(files)
    assert not errors, "Nu HTML checker:\n" + "\n".join(errors)

    from portalwerk.platform.forms.engine.form import FormSpec
    from portalwerk.platform.forms.models import FormVersion

    with schema_context("t_alpha"):
        version = FormVersion.objects.get(form_id=drafts["de"], number=1)
        spec = FormSpec.from_definition(version.definition)
    assert [s.key for s in spec.steps] == ["person", "hund"]
    assert spec.fee_cents({}) == 1500
    dog_name = spec.fields_by_key["name_des_hundes"]
    assert dog_name.is_visible({"haben_sie_einen_hund": True})
    assert not dog_name.is_visible({"haben_sie_einen_hund": False})


def until(page, expression: str, seconds: float = 10) -> None:
    """Poll a JavaScript expression (the CSP forbids the eval `wait_for_function` uses)."""
    import time

    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        time.sleep(0.05)


def _order(form_id: int) -> list[str]:
    from portalwerk.platform.forms.models import FormVersion

    with schema_context("t_alpha"):
        version = FormVersion.objects.get(form_id=form_id, number=1)
        return [f["key"] for f in version.definition["steps"][0]["fields"]]


def test_moving_a_question_by_keyboard_with_and_without_javascript(
    live_url, drafts, new_page, assert_accessible
):
    builder = f"{live_url}/backoffice/forms/{drafts['every']}/versions/1/builder/"
    before = _order(drafts["every"])
    assert before.index("frage_number") == before.index("frage_text") + 1

    # without JavaScript: the form is sent, the page comes back with the focus on the question
    plain = new_page(locale="de-DE", java_script_enabled=False)
    sign_in(plain, live_url, CLERK)
    plain.goto(builder)
    press_button(plain, element_id="field-frage_number-up")
    assert focused(plain) == "field-frage_number"
    assert "focus=field-frage_number" in plain.url
    moved = _order(drafts["every"])
    assert moved.index("frage_number") == moved.index("frage_text") - 1

    # with it: the same POST, the page replaced in place (no navigation), the focus the same
    page = new_page(locale="en-GB")
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    sign_in(page, live_url, CLERK)
    page.goto(builder)
    page.evaluate("window.notReloaded = true")
    tab_to(page, "field-frage_number-down", limit=150)
    page.keyboard.press("Enter")
    until(page, "document.activeElement && document.activeElement.id === 'field-frage_number'")
    assert page.evaluate("window.notReloaded") is True
    assert "focus=field-frage_number" in page.url
    until(page, "document.querySelector('main [role=status]').textContent.includes('moved')")
    assert _order(drafts["every"]) == before
    assert_accessible(page)
    assert not [m for m in console if "Content Security Policy" in m], console
