"""No English in the German back office and operator console (issue 15): a tenant admin and an
operator with German browsers walk every page the back office and the console link to (the
admin lists, forms and histories, the inbox, payments, appointments, staff, modules, hand-over,
data sources, the audit log, and the confirmation pages), and no page shows an English name of
an app, a model or a field, nor one of the English strings clerks reported."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import polib
import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role
from portalwerk.platform.authz.actors import from_user
from tests.conftest import make_user
from tests.helpers.appointments import at, make_office
from tests.helpers.forms import (
    DEFINITION,
    FEE_DEFINITION,
    FISHING_LICENCE,
    make_submission,
    publish_form,
    run_jobs,
)

# What clerks and tenant admins reported (issue 15), besides every English model name.
REPORTED = [
    "FORMS",
    "Forms",
    "Fee accounts",
    "fee account",
    "Finance access",
    "accesss",
    "entrys",
    "tenant zur Änderung auswählen",
    "Form versions",
    "Purge records",
    "Merchant accounts",
    "Form template library",
    " ct",
]
SKIP = ("/delete/", "/logout", "/export", "/r/", "/password_change", "/history/")
MAX_PAGES = 260


class _Text(HTMLParser):
    """What a person reads or hears: text, and the titles, labels and button texts; not
    scripts, styles, nor the JSON a textarea holds (form definitions are data)."""

    HIDDEN = {"script", "style", "textarea", "pre", "code", "template"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self.titles: list[str] = []
        self._hidden = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "title":
            self._in_title = True
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ("title", "aria-label", "alt", "placeholder"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden -= 1
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.titles.append(data.strip())
        if not self._hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def _admin_models():
    from portalwerk.platform.backoffice import backoffice_site
    from portalwerk.tenants.admin import operator_site

    models = set()
    for site in (backoffice_site, operator_site):
        for model, model_admin in site._registry.items():
            models.add(model)
            models.update(inline.model for inline in model_admin.inlines)
    return models


def _german_words() -> set[str]:
    """Every word the German catalogue uses: an English name that is German too ("Status",
    "Details") is no finding."""
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale/de/LC_MESSAGES/django.po"))
    words = set()
    for entry in catalogue:
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            text = re.sub(r"%\(\w+\)[sd]|\{[^}]*\}|<[^>]*>|\S*/\S*", " ", text)  # no names
            words.update(w.casefold() for w in re.findall(r"[\w-]+", text))
    return words


def english_names() -> set[str]:
    """The English names of the apps, models and fields the admin pages show, where German
    says something else."""
    names = set()
    models = _admin_models()
    with translation.override("en"):
        for model in models:
            opts = model._meta
            names.update({str(opts.verbose_name), str(opts.verbose_name_plural)})
            names.add(str(opts.app_config.verbose_name))
            for field in opts.get_fields():
                if getattr(field, "verbose_name", None) and field.concrete:
                    names.add(str(field.verbose_name))
    german = set()
    with translation.override("de"):
        for model in models:
            opts = model._meta
            german.update({str(opts.verbose_name), str(opts.verbose_name_plural)})
            german.add(str(opts.app_config.verbose_name))
            for field in opts.get_fields():
                if getattr(field, "verbose_name", None) and field.concrete:
                    german.add(str(field.verbose_name))
    german_words = _german_words()
    return {
        name
        for name in names - german
        if name.upper() != "ID"
        and not all(w.casefold() in german_words for w in re.findall(r"[\w-]+", name))
    }


def _found(text: str, phrase: str) -> bool:
    if phrase.startswith(" ") or not phrase[:1].isalpha():
        return phrase in text
    # a whole word, not part of a path ("/forms/…") or of "E-Mail"; "FORMS" as written
    flags = 0 if phrase in REPORTED else re.IGNORECASE
    return re.search(rf"(?<![\w/-]){re.escape(phrase)}(?![\w/-])", text, flags) is not None


def walk(client, start: str, extra: list[str]) -> dict[str, tuple[str, list[str]]]:
    """GET every page below `start` that the pages link to (admin filters and sorting aside);
    returns path → (text, titles)."""
    prefix = urlparse(start).path
    queue, seen, pages = [start, *extra], set(), {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        pages[url] = ("\n".join(parser.parts), parser.titles)
        for href in parser.links:
            target = urlparse(urljoin(url, href))
            if target.netloc or not target.path.startswith(prefix):
                continue
            if any(part in target.path for part in SKIP):
                continue
            if target.path not in seen:
                queue.append(target.path)
    return pages


def findings(pages, phrases) -> list[str]:
    found = []
    for url, (text, titles) in pages.items():
        # a JSON value (an audit entry's details) is data, not wording
        text = "\n".join(x for x in text.splitlines() if not x.startswith(("{", "[")))
        for phrase in phrases:
            if _found(text, phrase):
                line = next((x for x in text.splitlines() if _found(x, phrase)), "")
                found.append(f"{url}: {phrase!r} in {line[:100]!r}")
        for title in titles:
            parts = [p.strip() for p in title.split("|")]
            if len(parts) != len(set(parts)):
                found.append(f"{url}: the title names the same twice: {title!r}")
    return found


@pytest.fixture
def back_office_data(tenant_a, settings, tmp_path):
    """Something in every list a tenant admin opens: forms and submissions, a payment, a fee
    account and the finance role, an office with German names and an appointment."""
    from portalwerk.billing.payments.checkout import start_payment
    from portalwerk.billing.payments.models import FeeAccount
    from portalwerk.billing.payments.roles import grant_finance_role
    from portalwerk.platform.appointments.models import BookableService, Counter
    from portalwerk.platform.appointments.services.clerk import book_on_behalf
    from portalwerk.platform.authz.actors import anonymous

    settings.MEDIA_ROOT = tmp_path / "media"
    admin = make_user(tenant_a, "admin@alpha.example", Role.TENANT_ADMIN)
    clerk = make_user(tenant_a, "clerk@alpha.example", Role.CLERK_PROCESSOR)
    with schema_context(tenant_a.schema_name):
        publish_form(admin, "hund", {"de": "Hundeanmeldung", "en": "Dog"}, DEFINITION)
        fee_form = publish_form(admin, "angeln", FISHING_LICENCE, FEE_DEFINITION)
        FeeAccount.objects.create(form=fee_form, budget_line="1.2.3", booking_text="Angeln")
        grant_finance_role(actor=from_user(admin), user=clerk)
        submission = make_submission(fee_form, anonymous())
        payment = start_payment(actor=anonymous(), submission=submission, return_url="http://x/")
        setup = make_office(name="Bürgerbüro Nord")
        Counter.objects.filter(office=setup.office).update(name="Schalter A")
        BookableService.objects.update(name="Personalausweis")
        day = dt.date.today() + dt.timedelta(days=1)
        book_on_behalf(
            actor=from_user(admin),
            office=setup.office,
            service_ids=[setup.id_card.pk],
            starts_at=at(day, "09:00"),
            name="Kim Beispiel",
            now=at(day, "07:00"),
        )
        run_jobs()
    connection.set_schema_to_public()
    return {
        "admin": admin,
        "submission": submission.pk,
        "payment": payment.pk,
        "office": setup.office.pk,
        "day": day,
    }


def test_the_german_back_office_and_operator_console_speak_german(
    tenant_a, platform_tenant, client_for, back_office_data
):
    data = back_office_data
    office = client_for(tenant_a)
    office.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    assert office.sign_in(data["admin"].email).status_code == 302
    day = f"/backoffice/appointments/?office={data['office']}&date={data['day']}"
    pages = walk(
        office,
        "/backoffice/",
        [f"/backoffice/inbox/{data['submission']}/", f"/backoffice/payments/{data['payment']}/"],
    )
    pages[day] = walk(office, day, [])[day]
    # the confirmations: closing the day, cancelling an appointment
    for path, post in [
        (f"/backoffice/appointments/close/?office={data['office']}&date={data['day']}", {}),
    ]:
        parser = _Text()
        parser.feed(office.post(path, post).content.decode())
        pages[f"POST {path}"] = ("\n".join(parser.parts), parser.titles)
    assert len(pages) > 40, sorted(pages)  # the walk reached the back office's pages

    operator = make_user(platform_tenant, "operator@platform.example", Role.OPERATOR)
    console = client_for("localhost")
    console.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    assert console.sign_in(operator.email).status_code == 302
    console_pages = walk(console, "/admin/", [])
    assert len(console_pages) > 10, sorted(console_pages)

    phrases = sorted(english_names() | set(REPORTED))
    assert len(phrases) > 100  # the names of the models and fields are checked
    found = findings({**pages, **console_pages}, phrases)
    assert not found, "English in the German back office:\n" + "\n".join(sorted(found))
