"""What a parsed definition is made of: `FieldSpec`, `StepSpec`, `FeeSpec`, and the small types
the engine hands out (`FieldError`, `UploadInfo`, `DefinitionError`). The field types themselves
are classes in `fieldtypes`."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from portalwerk.platform.forms import logic
from portalwerk.platform.forms.engine import sourcing

ADDRESS_PARTS = ("street", "house_number", "postcode", "city")
# What a field may be prefilled with (`"prefill": "email"`): what the signed-in citizen's
# account holds, and where they signed in with a state account, the attributes it vouches for
# (`accounts.identity.assurance.ATTRIBUTES`; those win over the account's own). "email" is also
# the address a resume link was sent to. Always editable. "address" (in ADDRESS_PARTS) is for
# address fields only, "birth_date" (only a state account knows it) for date fields only, and
# the others for fields holding text.
PREFILL_SOURCES = ("email", "name", "first_name", "last_name", "address", "birth_date")
FILE_KINDS = {"pdf", "png", "jpeg"}


class DefinitionError(ValueError):
    """A definition a clerk wrote that cannot be used; `problems` lists what is wrong."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def localize(text: Any, lang: str | None = None) -> str:
    """`{"de": …, "en": …}` or a plain string, in the active language (German as fallback)."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, Mapping):
        lang = (lang or get_language() or "de")[:2]
        return str(text.get(lang) or text.get("de") or next(iter(text.values()), ""))
    return str(text)


@dataclass(frozen=True)
class FieldError:
    path: str
    code: str
    message: str


@dataclass(frozen=True)
class UploadInfo:
    """What the engine needs to know about an uploaded file (from the upload store)."""

    id: str
    name: str
    kind: str  # sniffed: pdf, png, jpeg
    size: int


UploadLookup = Callable[[list[str]], Mapping[str, UploadInfo]]


def _no_uploads(ids: list[str]) -> Mapping[str, UploadInfo]:
    return {}


def _always(scope: Any) -> bool:
    return True


def _never(scope: Any) -> bool:
    return False


@dataclass
class FieldSpec:
    key: str
    type: str
    label: Any
    hint: Any = None
    required: bool = False
    validation: dict = field(default_factory=dict)
    options: list[dict] = field(default_factory=list)
    children: list[FieldSpec] = field(default_factory=list)
    min_items: int = 0
    max_items: int = 10
    multiple: bool = False
    text: Any = None
    messages: dict = field(default_factory=dict)
    show_if: Callable = _always
    require_if: Callable = _never
    has_show_if: bool = False
    has_require_if: bool = False
    show_vars: frozenset = frozenset()  # the field keys its show_if reads
    option_values: frozenset = frozenset()
    pattern: re.Pattern | None = None
    prefill: str = ""  # one of PREFILL_SOURCES, or none
    options_from: str = ""  # a data source's key: the options come from it (`sourcing`)
    prefill_from: dict | None = None  # {"source": key, "value": path}: prefilled from a source
    field_type: Any = None  # its `fieldtypes.FieldType`, set when the definition is parsed

    def label_text(self, lang: str | None = None) -> str:
        return localize(self.label, lang)

    def current_options(self) -> sourcing.SourcedOptions:
        """The options offered now: the definition's own, or what the data source offers."""
        if self.options_from:
            return sourcing.options(self.options_from)
        return sourcing.SourcedOptions(self.options, sourcing.FRESH)

    def option_label(self, value: Any, lang: str | None = None) -> str:
        for option in self.current_options().options:
            if option["value"] == value:
                return localize(option.get("label", value), lang)
        return str(value)

    @property
    def has_value(self) -> bool:
        return self.field_type.has_value

    def is_visible(self, scope: Mapping) -> bool:
        return not self.has_show_if or logic._truthy(self.show_if(scope))

    def is_required(self, scope: Mapping) -> bool:
        return self.required or (self.has_require_if and logic._truthy(self.require_if(scope)))


@dataclass
class StepSpec:
    key: str
    title: Any
    fields: list[FieldSpec]
    skip_if: Callable = _never
    has_skip_if: bool = False

    def title_text(self, lang: str | None = None) -> str:
        return localize(self.title, lang)

    def is_skipped(self, scope: Mapping) -> bool:
        return self.has_skip_if and logic._truthy(self.skip_if(scope))


@dataclass
class FeeSpec:
    amount: Callable
    label: Any = None
    variables: frozenset[str] = frozenset()  # the answers the amount depends on
