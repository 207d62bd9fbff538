"""`FieldType`, what every field type does by default, and the registry of types by name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from portalwerk.platform.forms.engine.messages import _message
from portalwerk.platform.forms.engine.specs import FieldError, FieldSpec, UploadLookup
from portalwerk.platform.forms.engine.values import _is_empty, holds_nul
from portalwerk.platform.forms.errors import FormErrorCode as Code

Fail = Callable[[str, str], None]  # fail(code, message): an error on the field being cleaned
ChildContext = Callable[[FieldSpec, str, Any], dict]  # a nested field's widget context

_TYPES: dict[str, FieldType] = {}


def register(cls: type[FieldType]) -> type[FieldType]:
    _TYPES[cls.kind] = cls()
    return cls


def field_type(kind: Any) -> FieldType | None:
    return _TYPES.get(kind) if isinstance(kind, str) else None


def kinds() -> frozenset[str]:
    return frozenset(_TYPES)


def nul_message(f: FieldSpec) -> str:
    return _("“%(label)s” contains a character that is not allowed.") % {"label": f.label_text()}


class FieldType:
    kind: ClassVar[str]
    has_value: ClassVar[bool] = True  # False for text shown between questions
    needs_label: ClassVar[bool] = True

    # -- definition ------------------------------------------------------------------------

    def parse(
        self,
        spec: FieldSpec,
        raw: Mapping,
        where: str,
        known: set[str],
        problems: list[str],
        parse_field: Callable,
    ) -> None:
        """Read the parts of a field's definition only this type has; report problems."""

    # -- cleaning --------------------------------------------------------------------------

    def required_message(self, f: FieldSpec) -> str:
        return _("Enter “%(label)s”.") % {"label": f.label_text()}

    def is_empty(self, value: Any) -> bool:
        return _is_empty(value)

    def clean(
        self,
        f: FieldSpec,
        value: Any,
        path: str,
        scope: Mapping,
        uploads: UploadLookup,
        errors: list[FieldError],
    ) -> Any:
        """Normalise and check one value; append errors; return the clean value or None."""

        def fail(code: str, message: str) -> None:
            errors.append(FieldError(path, code, message))

        if holds_nul(value):
            fail(Code.INVALID_TYPE, nul_message(f))
            return None
        if self.is_empty(value):
            if f.is_required(scope):
                fail(Code.REQUIRED, _message(f, "required", self.required_message(f)))
            return None
        return self.clean_value(f, value, fail, uploads)

    def clean_value(self, f: FieldSpec, value: Any, fail: Fail, uploads: UploadLookup) -> Any:
        """A value that is not empty, normalised; `fail` and None when it is not good."""
        return None

    # -- reading answers -------------------------------------------------------------------

    def upload_ids(self, f: FieldSpec, value: Any) -> list:
        return []

    def display(
        self, f: FieldSpec, value: Any, lang: str | None, file_names: Mapping[str, str] | None
    ) -> str:
        return str(value)

    def summary_rows(
        self,
        f: FieldSpec,
        value: Any,
        lang: str | None,
        file_names: Mapping[str, str] | None,
    ) -> list[dict]:
        return [
            {
                "key": f.key,
                "field": f.key,
                "label": f.label_text(lang),
                "value": self.display(f, value, lang, file_names),
            }
        ]

    # -- pages -----------------------------------------------------------------------------

    def read_post(self, f: FieldSpec, post, files, name: str, existing: Any, store_file) -> Any:
        """The raw value of this field in a POST (QueryDict) under `name`."""
        return post.get(name)

    def input_value(self, f: FieldSpec, value: Any) -> Any:
        """A clean answer as the text an input shows."""
        return "" if value is None else value

    def widget(
        self,
        f: FieldSpec,
        ctx: dict,
        path: str,
        value: Any,
        errors: Mapping[str, str],
        lang: str,
        file_names: Mapping[str, str],
        child_context: ChildContext,
    ) -> None:
        """Add what this type's template needs to the common context `ctx`."""
