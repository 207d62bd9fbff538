"""One answer out of a list of options, or several."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from portalwerk.platform.forms.engine.fieldtypes.base import Fail, FieldType, register
from portalwerk.platform.forms.engine.specs import FieldSpec, UploadLookup, localize
from portalwerk.platform.forms.errors import FormErrorCode as Code


def _invalid_choice(f: FieldSpec, fail: Fail) -> None:
    fail(
        Code.INVALID_CHOICE,
        _("Select one of the options for “%(label)s”.") % {"label": f.label_text()},
    )


@register
class ChoiceType(FieldType):
    kind = "choice"

    def parse(self, spec, raw, where, known, problems, parse_field) -> None:
        options = raw.get("options")
        if not isinstance(options, list) or not options:
            problems.append(f"{where}: a choice needs options")
            options = []
        values = []
        for option in options:
            if not isinstance(option, Mapping) or not isinstance(option.get("value"), str):
                problems.append(f"{where}: each option has a string value")
                continue
            values.append(option["value"])
        if len(values) != len(set(values)):
            problems.append(f"{where}: option values are unique")
        spec.options = [dict(o) for o in options if isinstance(o, Mapping)]
        spec.option_values = frozenset(values)

    def required_message(self, f: FieldSpec) -> str:
        return _("Select an answer for “%(label)s”.") % {"label": f.label_text()}

    def clean_value(self, f: FieldSpec, value: Any, fail: Fail, uploads: UploadLookup) -> Any:
        if not isinstance(value, str) or value not in f.option_values:
            _invalid_choice(f, fail)
            return None
        return value

    def display(self, f, value, lang, file_names) -> str:
        return f.option_label(value, lang)

    def widget(self, f, ctx, path, value, errors, lang, file_names, child_context) -> None:
        chosen = value if isinstance(value, list) else [value]
        ctx["options"] = [
            {
                "value": o["value"],
                "label": localize(o.get("label", o["value"]), lang),
                "id": f"{ctx['id']}-{i}",
                "checked": o["value"] in chosen,
            }
            for i, o in enumerate(f.options)
        ]


@register
class MultichoiceType(ChoiceType):
    kind = "multichoice"

    def clean_value(self, f: FieldSpec, value: Any, fail: Fail, uploads: UploadLookup) -> Any:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, (list, tuple)) or not all(
            isinstance(x, str) and x in f.option_values for x in values
        ):
            _invalid_choice(f, fail)
            return None
        chosen = set(values)
        return [o["value"] for o in f.options if o["value"] in chosen]

    def display(self, f, value, lang, file_names) -> str:
        return ", ".join(f.option_label(v, lang) for v in value)

    def read_post(self, f, post, files, name, existing, store_file) -> Any:
        return post.getlist(name)

    def input_value(self, f: FieldSpec, value: Any) -> Any:
        return [] if value is None else value
