"""German and English catalogues are complete, and the compiled catalogues match them."""

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

from tests.components import unavailable

LOCALE = Path(__file__).resolve().parents[2] / "platform" / "locale"
IGNORE = [".venv", "tests", ".portalwerk", "build", "node_modules"]


@pytest.mark.parametrize("language", ["de", "en"])
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()] if language == "de" else []
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == [], f"{len(untranslated)} German messages lack a translation"
    assert fuzzy == [], "fuzzy entries are not used by Django; review them"


@pytest.mark.parametrize("language", ["de", "en"])
def test_compiled_catalogue_is_up_to_date(language):
    folder = LOCALE / language / "LC_MESSAGES"
    source = {
        (e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural.get(0, ""))
        for e in polib.pofile(str(folder / "django.po")).translated_entries()
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural.get(0, ""))
        for e in polib.mofile(str(folder / "django.mo"))
        if e.msgid
    }
    assert compiled == source, "run `make messages` to recompile the catalogues"


def test_german_is_served_by_default_and_english_on_request(client_for, tenant_a):
    german = client_for(tenant_a).get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="de")
    english = client_for(tenant_a).get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="de">' in german.content.decode()
    assert "Anmelden" in german.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "Sign in" in english.content.decode()


def test_catalogue_holds_every_message_of_the_source(tmp_path, settings, monkeypatch):
    # given a copy of the catalogues, refreshed from the source code as `make messages` does
    if not shutil.which("xgettext"):
        unavailable("xgettext", "GNU gettext is not installed (apt-get install gettext)")
    shutil.copytree(LOCALE, tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(LOCALE.parents[1])
    # the real catalogue folder is ignored, or makemessages would find and rewrite it
    ignore = [*IGNORE, "platform/locale"]
    call_command(
        "makemessages", locale=["de"], ignore_patterns=ignore, no_obsolete=True, verbosity=0
    )

    # then the refresh finds no message the committed catalogue lacks
    def msgids(path):
        return {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}

    fresh = msgids(tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.po")
    committed = msgids(LOCALE / "de" / "LC_MESSAGES" / "django.po")
    assert sorted(fresh - committed) == [], "run `make messages` and translate the new messages"
