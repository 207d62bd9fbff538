"""Yes or no, and a declaration (a box to tick, "confirmed" or not)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext as _

from portalwerk.platform.forms.engine.fieldtypes.base import Fail, FieldType, register
from portalwerk.platform.forms.engine.specs import FieldSpec, UploadLookup
from portalwerk.platform.forms.engine.values import _bool, _is_empty
from portalwerk.platform.forms.errors import FormErrorCode as Code


class _Flag(FieldType):
    def clean_value(self, f: FieldSpec, value: Any, fail: Fail, uploads: UploadLookup) -> Any:
        flag = _bool(value)
        if flag is None:
            fail(
                Code.INVALID_CHOICE,
                _("Select yes or no for “%(label)s”.") % {"label": f.label_text()},
            )
            return None
        return flag


@register
class YesNoType(_Flag):
    kind = "yesno"

    def required_message(self, f: FieldSpec) -> str:
        return _("Select an answer for “%(label)s”.") % {"label": f.label_text()}

    def display(self, f, value, lang, file_names) -> str:
        return _("Yes") if value else _("No")

    def input_value(self, f: FieldSpec, value: Any) -> Any:
        if isinstance(value, bool):
            return "yes" if value else "no"
        return super().input_value(f, value)

    def widget(self, f, ctx, path, value, errors, lang, file_names, child_context) -> None:
        shown = self.input_value(f, value)
        ctx["options"] = [
            {
                "value": "yes",
                "label": gettext("Yes"),
                "id": f"{ctx['id']}-0",
                "checked": shown == "yes",
            },
            {
                "value": "no",
                "label": gettext("No"),
                "id": f"{ctx['id']}-1",
                "checked": shown == "no",
            },
        ]


@register
class DeclarationType(_Flag):
    kind = "declaration"

    def required_message(self, f: FieldSpec) -> str:
        return _("Confirm “%(label)s” to continue.") % {"label": f.label_text()}

    def is_empty(self, value: Any) -> bool:
        return _is_empty(value) or _bool(value) is False  # not ticked is no answer

    def display(self, f, value, lang, file_names) -> str:
        return _("Confirmed") if value else ""

    def read_post(self, f, post, files, name, existing, store_file) -> Any:
        return post.get(name, "")

    def input_value(self, f: FieldSpec, value: Any) -> Any:
        if value is None:
            return ""
        return bool(value) and value not in ("", "no", "false")
