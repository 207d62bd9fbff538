"""Each of the five demo forms (the shared library's templates) filled to its confirmation with
the keyboard only (issue 12): the focus moves by Tab, radios by Space and the arrow keys, files
through the file chooser the Space bar opens, and Enter is pressed once inside every text field,
repeated entries included. After every Enter nothing the citizen entered is gone: no value, no
upload, no repeated entry. Forms with a fee are paid through the demo provider.

A text field the answers below do not know fails the test, so a changed template is noticed."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.browser.keyboard import press_button
from tests.helpers.forms import PDF, PNG
from tests.helpers.payments import delete_payments_data

pytestmark = pytest.mark.browser

PERSON = {"f-first_name": "Erika", "f-last_name": "Mustermann", "f-date_of_birth": "27.03.1980"}
ADDRESS = {
    "f-home-street": "Lindenallee",
    "f-home-house_number": "12a",
    "f-home-postcode": "34567",
    "f-home-city": "Musterstadt",
}
CONTACT = {"f-email": "erika@example.org", "f-phone": "0511 123456"}
DECLARATION = {"f-truthful": "tick"}
# Answers by field id: text to type, an option's position in its group, "tick", or a file.
FORMS = {
    "fishing-licence-exam": {
        **PERSON,
        **ADDRESS,
        **CONTACT,
        "f-exam_date": 1,
        "f-course_done": 0,
        "f-course_certificate": ("bescheinigung.png", PNG),
        "f-previous_attempt": 1,
        **DECLARATION,
    },
    "hunting-licence-exam": {
        **PERSON,
        **ADDRESS,
        **CONTACT,
        "f-course_done": 0,
        "f-course_provider": "Jägerschaft Musterland",
        "f-conduct_certificate": ("fuehrungszeugnis.pdf", PDF),
        **DECLARATION,
    },
    "volunteer-card": {
        **PERSON,
        **ADDRESS,
        **CONTACT,
        "f-organisations": 2,  # entries to add
        "f-organisations-0-name": "Freiwillige Feuerwehr",
        "f-organisations-0-hours_per_week": "4",
        "f-organisations-0-board_member": 0,
        "f-organisations-0-board_role": "Kassenwartin",
        "f-organisations-1-name": "Tafel Musterstadt",
        "f-organisations-1-hours_per_week": "2",
        "f-organisations-1-board_member": 0,
        "f-organisations-1-board_role": "Beisitzerin",
        **DECLARATION,
    },
    "cadastral-map-extract": {
        **PERSON,
        **CONTACT,
        "f-cadastral_district": "Musterfeld",
        "f-parcel_number": "123/4",
        "f-purpose": 1,
        "f-format": 1,  # paper, so the delivery address is asked for
        "f-copies": "2",
        "f-delivery_address-street": "Am Markt",
        "f-delivery_address-house_number": "3",
        "f-delivery_address-postcode": "34568",
        "f-delivery_address-city": "Beispielheim",
        **DECLARATION,
    },
    "dog-tax-registration": {
        **PERSON,
        **ADDRESS,
        **CONTACT,
        "f-dogs": 2,
        "f-dogs-0-name": "Bello",
        "f-dogs-0-breed": "Staffordshire Bullterrier",
        "f-dogs-0-kept_since": "01.02.2024",
        "f-dogs-0-listed": 0,
        "f-dogs-0-temperament_test": ("wesenstest.pdf", PDF),
        "f-dogs-1-name": "Rex",
        "f-dogs-1-breed": "Dackel",
        "f-dogs-1-kept_since": "15.06.2025",
        "f-dogs-1-listed": 1,  # no: its temperament test is not asked for, and left empty
        "f-direct_debit": 0,
        "f-iban": "DE89 3704 0044 0532 0130 00",
        "f-account_holder": "Erika Mustermann",
        **DECLARATION,
    },
}
WORDS = {
    "de": {"start": "Jetzt starten", "submit": "Antrag absenden", "paid": "Gebühr bezahlt"},
    "en": {"start": "Start now", "submit": "Submit application", "paid": "Fee paid"},
}
LANGUAGE = dict(zip(FORMS, ["de", "en", "de", "en", "de"], strict=True))

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || !el.closest('main form')) return null;
  const group = el.closest('fieldset:not(.repeat-item)');
  return {id: el.id, tag: el.tagName, type: el.type || '', value: el.value || '',
          text: (el.innerText || '').trim(), group: group ? group.id : ''};
}"""

# Text fields of the step the citizen has not typed into yet.
UNTOUCHED = """done => [...document.querySelectorAll('main form input, main form textarea')]
  .filter(el => !['radio', 'checkbox', 'file', 'hidden'].includes(el.type) && el.tabIndex >= 0)
  .map(el => el.id).filter(id => !done.includes(id))"""


@pytest.fixture
def demo_forms(live_db):
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.formlibrary.library import sync_library
    from portalwerk.platform.formlibrary.models import FormTemplate
    from portalwerk.platform.forms import services
    from portalwerk.tenants.models import Tenant

    had_library = set(FormTemplate.objects.values_list("key", flat=True))
    sync_library()
    tenant = Tenant.objects.get(slug="alpha")
    with schema_context(tenant.schema_name):
        admin = User.objects.create_user(
            "keyboard-admin@alpha.example", "Test-Passwort-2026!", role=Role.TENANT_ADMIN
        )
        for key in FORMS:
            services.adopt_template(actor=from_user(admin), key=key, publish=True)
    yield tenant
    with schema_context(tenant.schema_name):
        delete_payments_data()
        User.objects.filter(email="keyboard-admin@alpha.example").delete()
    FormTemplate.objects.exclude(key__in=had_library).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE args->>'schema_name' = %s", [tenant.schema_name]
        )
    connection.set_schema_to_public()


class KeyboardCitizen:
    """Fills a form's steps with the keyboard, remembering what it entered so it can check
    after every page load that all of it is still there."""

    def __init__(self, page, answers: dict, folder):
        self.page, self.answers, self.folder = page, answers, folder
        self.done: set[str] = set()  # ids of fields and groups already answered
        self.typed: dict[str, str] = {}  # text field id -> what was typed
        self.uploaded: list[tuple[str, str]] = []  # (file field id, file name)
        self.entries: dict[str, int] = {}  # repeating group id -> entries added

    def answer(self, key: str):
        if key not in self.answers:
            raise AssertionError(f"no answer for #{key} on {self.page.url}")
        return self.answers[key]

    def navigate(self, key: str) -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press(key)

    def still_there(self) -> None:
        """Every value typed on this step, every upload and every repeated entry survived."""
        for field_id, text in self.typed.items():
            field = self.page.locator(f"#{field_id}")
            if field.count():
                assert field.input_value() == text, f"#{field_id} lost its value on {self.page.url}"
        main = self.page.inner_text("main")
        for field_id, name in self.uploaded:
            if self.page.locator(f"#{field_id}").count():
                assert name in main, f"the upload {name} is gone on {self.page.url}"
        for group, added in self.entries.items():
            if self.page.locator(f"#{group}").count():
                entries = self.page.locator(f"#{group} > fieldset.repeat-item").count()
                assert entries == added, f"{group}: {entries} of {added} entries on {self.page.url}"

    def fill_step(self) -> None:
        """Tab through the step, answer each unanswered field, press Enter once in each text
        field; done when the browser is on another page."""
        step = self.page.url.split("?")[0]
        for _ in range(300):
            if self.page.url.split("?")[0] != step:
                return
            self.page.keyboard.press("Tab")
            el = self.page.evaluate(FOCUSED)
            if el is None:
                continue
            if el["tag"] == "BUTTON":
                self._button(el)
            elif el["type"] == "radio":
                self._radio(el)
            elif el["type"] == "checkbox" and el["id"] not in self.done:
                assert self.answer(el["id"]) == "tick"
                self.page.keyboard.press("Space")
                self.done.add(el["id"])
            elif el["type"] == "file":
                if el["id"] not in self.done and el["id"] in self.answers:
                    self._upload(el["id"])  # files the answers leave out are not asked for
            elif el["tag"] in ("INPUT", "TEXTAREA") and el["id"] not in self.done:
                self._type_and_press_enter(el["id"])
        raise AssertionError(f"the keyboard never left {step}")

    def _type_and_press_enter(self, field_id: str) -> None:
        text = self.answer(field_id)
        self.page.keyboard.type(text)
        self.done.add(field_id)
        self.typed[field_id] = text
        step = self.page.url.split("?")[0]
        untouched = self.page.evaluate(UNTOUCHED, sorted(self.done)) or [
            group
            for group, wanted in self.answers.items()
            if isinstance(wanted, int)
            and self.page.locator(f"#{group}.repeat-group, #{group} > fieldset.repeat-item").count()
            and self.entries.get(group, 0) < wanted
        ]
        self.navigate("Enter")
        if untouched and self.page.url.split("?")[0] != step:
            # Enter sent a complete step before the rest had its turn (an optional field, an
            # entry still to add): the citizen goes back to it
            self.tab_to_link("a.back-link")
            self.navigate("Enter")
        self.still_there()

    def tab_to_link(self, selector: str) -> None:
        for _ in range(100):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector} on {self.page.url}")

    def _radio(self, el: dict) -> None:
        group = el["group"]
        if group in self.done:
            return
        position = self.answer(group)
        if position == 0:
            self.page.keyboard.press("Space")
        for _ in range(position):
            self.page.keyboard.press("ArrowDown")
        self.done.add(group)

    def _upload(self, field_id: str) -> None:
        name, content = self.answer(field_id)
        path = self.folder / name
        path.write_bytes(content)
        with self.page.expect_file_chooser() as chooser:
            self.page.keyboard.press("Space")
        chooser.value.set_files(str(path))
        self.done.add(field_id)
        self.uploaded.append((field_id, name))

    def _button(self, el: dict) -> None:
        value = el["value"]
        if value.startswith("add:"):
            group = "f-" + value.split(":", 1)[1].replace(".", "-")
            if self.entries.get(group, 0) < self.answer(group):
                self.entries[group] = self.entries.get(group, 0) + 1
                self.navigate("Enter")
                self.still_there()
        elif value == "continue":
            self.navigate("Enter")
            self.still_there()
        else:
            assert value.startswith("remove:") or value == "save", el


def _text_of(value: str) -> str:
    return value.replace(" ", "")


@pytest.mark.parametrize("slug", list(FORMS))
def test_demo_form_by_keyboard_with_enter_in_every_text_field(
    live_url, demo_forms, new_page, tmp_path, slug
):
    from portalwerk.platform.forms.models import Submission

    language = LANGUAGE[slug]
    words = WORDS[language]
    page = new_page(locale="de-DE" if language == "de" else "en-GB")
    # Playwright starts intercepting file choosers only once something listens, without
    # waiting for the browser to confirm: a key pressed right after could open a native chooser
    # nobody sees. Listening from the start means the interception is on before any upload.
    page.on("filechooser", lambda _chooser: None)
    page.goto(f"{live_url}/forms/{slug}/")
    press_button(page, words["start"])
    citizen = KeyboardCitizen(page, FORMS[slug], tmp_path)
    while "/check/" not in page.url:
        citizen.fill_step()
    # every text field got its Enter, and check-your-answers shows every answer given
    texts = [k for k, v in FORMS[slug].items() if isinstance(v, str) and v != "tick"]
    assert sorted(citizen.typed) == sorted(texts)
    answers = _text_of(page.inner_text("main"))
    for field_id, text in citizen.typed.items():
        assert _text_of(text) in answers, f"{field_id} = {text!r} not on the check page"
    for _field_id, name in citizen.uploaded:
        assert name in answers
    press_button(page, words["submit"])
    if "/pay/" in page.url:
        press_button(page, element_id="pay-now")
        press_button(page, element_id="demo-pay")
        assert page.locator("h1").inner_text() == words["paid"]
    else:
        assert "/done/" in page.url or page.locator(".reference").count(), page.url
    with schema_context(demo_forms.schema_name):
        submission = Submission.objects.get(form__slug=slug)
        uploads = sorted(submission.uploads.values_list("name", flat=True))
    # the confirmation names the submission; repeated entries and uploads all arrived
    assert submission.reference in page.url + page.inner_text("main")
    for group, added in citizen.entries.items():
        assert len(submission.answers[group.removeprefix("f-")]) == added
    assert uploads == sorted(name for _field_id, name in citizen.uploaded)
