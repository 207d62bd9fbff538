"""A form as a file, so that municipalities exchange forms outside the shared library: one
version's definition with the form's settings, a format marker and the format's version.

Old exports keep importing (Open Forms' users lost theirs, LESSONS.md): a file of an older
format version is brought up to today's by the steps in `_UPGRADES` before it is read, and
tests/platform/forms/fixtures/ keeps an export of every format version that must import.
A file of a newer format version than this installation knows is refused, never guessed at."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.error_codes import ErrorCode
from portalwerk.platform.forms.models import Form, FormVersion, RetentionAction, VersionStatus
from portalwerk.platform.forms.services.checks import _require_manager, check_definition
from portalwerk.platform.forms.services.form_settings import update_form_settings
from portalwerk.platform.forms.services.publishing import (
    create_form,
    new_draft_version,
    save_version_definition,
)

FORMAT = "portalwerk-form"
FORMAT_VERSION = 1
MAX_BYTES = 1_000_000  # the largest library form exports to about 20 kB
SETTINGS = (
    "slug",
    "title",
    "description",
    "service_key",
    "retention_days",
    "retention_action",
    "draft_days",
    "processing_days",
)


class ExchangeErrorCode(ErrorCode):
    FILE_TOO_LARGE = "file_too_large"
    NOT_JSON = "not_json"
    NOT_A_FORM_FILE = "not_a_form_file"
    NEWER_FORMAT = "newer_format"
    INVALID_FILE = "invalid_file"
    FORM_EXISTS = "form_exists"


Code = ExchangeErrorCode

# format version n -> a function that turns a document of version n into one of n + 1
_UPGRADES: dict[int, Callable[[dict], dict]] = {}


@dataclass(frozen=True)
class FormFile:
    """What an export file holds, checked: the form's settings, the version number it had where
    it was exported, and the definition (valid for this installation's engine)."""

    settings: dict[str, Any]
    number: int
    definition: dict[str, Any]

    @property
    def slug(self) -> str:
        return self.settings["slug"]


def export_document(form: Form, version: FormVersion) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "form": {name: getattr(form, name) for name in SETTINGS},
        "version": {
            "number": version.number,
            "status": version.status,
            "definition": version.definition,
        },
    }


def export_bytes(form: Form, version: FormVersion) -> bytes:
    return json.dumps(export_document(form, version), ensure_ascii=False, indent=2).encode()


def file_name(form: Form, version: FormVersion) -> str:
    return f"{form.slug}-version-{version.number}.json"


def _refuse(code: ExchangeErrorCode, message: str) -> ValidationError:
    return code.error(message, "file")


def read_file(data: bytes) -> FormFile:
    """The checked content of an export file, or a ValidationError on `file` that says what is
    wrong with it. Reads only; changes nothing."""
    if len(data) > MAX_BYTES:
        raise _refuse(
            Code.FILE_TOO_LARGE,
            _("The file is larger than %(size)s kB; a form export is much smaller.")
            % {"size": MAX_BYTES // 1000},
        )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise _refuse(
            Code.NOT_JSON, _("The file is not a form export: it is not a JSON file.")
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _refuse(
            Code.NOT_A_FORM_FILE,
            _("The file is JSON, but not a form exported from Portalwerk (its format is missing)."),
        )
    found = document.get("format_version")
    if not isinstance(found, int) or isinstance(found, bool) or found < 1:
        raise _refuse(Code.INVALID_FILE, _("The file does not say which format version it has."))
    if found > FORMAT_VERSION:
        raise _refuse(
            Code.NEWER_FORMAT,
            _(
                "The file was made by a newer Portalwerk (format version %(found)s); this one "
                "reads format versions up to %(known)s. Ask for an update, or for an export in "
                "the older format."
            )
            % {"found": found, "known": FORMAT_VERSION},
        )
    for version in range(found, FORMAT_VERSION):
        document = _UPGRADES[version](document)
    return _checked(document)


def _checked(document: Mapping) -> FormFile:
    form, version = document.get("form"), document.get("version")
    if not isinstance(form, Mapping) or not isinstance(version, Mapping):
        raise _refuse(Code.INVALID_FILE, _("The file holds no form settings or no version."))
    problems = _settings_problems(form)
    number = version.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        problems.append(_("the version number is missing"))
    if problems:
        raise _refuse(
            Code.INVALID_FILE,
            _("The file's form settings are not usable: %(problems)s.")
            % {"problems": "; ".join(problems)},
        )
    definition = version.get("definition")
    try:
        check_definition(definition)
    except ValidationError as exc:
        raise _refuse(
            Code.INVALID_FILE,
            _("The form in the file is not valid here: %(problems)s.")
            % {"problems": "; ".join(exc.messages)},
        ) from None
    settings = {name: form.get(name) for name in SETTINGS if name in form}
    settings.setdefault("description", {})
    return FormFile(settings=settings, number=number, definition=dict(definition))


def _settings_problems(form: Mapping) -> list[str]:
    problems = []
    if not isinstance(form.get("slug"), str) or not re.fullmatch(
        r"[a-z0-9][a-z0-9-]{0,79}", form["slug"]
    ):
        problems.append(_("the address name is missing or not usable"))
    if not isinstance(form.get("title"), Mapping) or not form["title"].get("de"):
        problems.append(_("the German title is missing"))
    for name in ("retention_days", "draft_days"):
        if name in form and (not isinstance(form[name], int) or form[name] < 1):
            problems.append(_("“%(setting)s” is not a number of days") % {"setting": name})
    days = form.get("processing_days")
    if days is not None and (not isinstance(days, int) or days < 1):
        problems.append(_("“%(setting)s” is not a number of days") % {"setting": "processing_days"})
    if form.get("retention_action", RetentionAction.DELETE) not in RetentionAction.values:
        problems.append(_("“retention_action” is neither delete nor anonymise"))
    if not isinstance(form.get("service_key", ""), str):
        problems.append(_("the catalogue service is not a name"))
    return problems


@transaction.atomic
def import_form(
    *, actor: Actor, data: bytes, slug: str = "", into: Form | None = None
) -> FormVersion:
    """Import an export file: as a new form (under the file's address name, or `slug`), or
    with `into`, as a new draft version of that form (an open draft version gets the file's
    content). A form with the address name that exists already is refused with
    `form_exists`, so that the clerk is asked which of the two they mean. The definition is
    checked with the engine first; nothing changes when anything is wrong."""
    _require_manager(actor)
    found = read_file(data)
    if into is not None:
        version = new_draft_version(actor=actor, form=into)
        return save_version_definition(actor=actor, version=version, definition=found.definition)
    slug = slug or found.slug
    if Form.objects.filter(slug=slug).exists():
        raise Code.FORM_EXISTS.error(
            _("A form with the address name “%(slug)s” exists already.") % {"slug": slug}, "slug"
        )
    settings = dict(found.settings)
    form = create_form(
        actor=actor,
        slug=slug,
        title=settings["title"],
        description=settings.get("description") or {},
        definition=found.definition,
        service_key=settings.get("service_key") or "",
        retention_days=settings.get("retention_days") or 365,
    )
    form = update_form_settings(
        actor=actor,
        form=form,
        **{
            name: settings[name]
            for name in ("retention_action", "draft_days", "processing_days")
            if name in settings
        },
    )
    return form.versions.get(status=VersionStatus.DRAFT)
