"""One answer out of a list of options, or several."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from portalwerk.platform.forms.engine import sourcing
from portalwerk.platform.forms.engine.fieldtypes.base import Fail, FieldType, register
from portalwerk.platform.forms.engine.specs import FieldSpec, UploadLookup, localize
from portalwerk.platform.forms.errors import FormErrorCode as Code

SOURCE_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def _invalid_choice(f: FieldSpec, fail: Fail) -> None:
    fail(
        Code.INVALID_CHOICE,
        _("Select one of the options for “%(label)s”.") % {"label": f.label_text()},
    )


def _values(f: FieldSpec) -> frozenset:
    """The values an answer may take now: a sourced field's are those its source (or its
    fallback) offers at this moment, so a value nobody offered is refused like a typed one."""
    if not f.options_from:
        return f.option_values
    return frozenset(o["value"] for o in f.current_options().options)


def _source_notice(f: FieldSpec, offered: sourcing.SourcedOptions, lang: str) -> str:
    if not offered.degraded:
        return ""
    with override(lang):
        label = f.label_text(lang)
        if offered.options:
            return _(
                "The list for “%(label)s” could not be brought up to date just now. "
                "You can choose from it as it was; if your answer is missing, try again later."
            ) % {"label": label}
        if f.required:
            return _(
                "The options for “%(label)s” cannot be loaded just now. Please try again "
                "later; what you have entered so far is kept when you save."
            ) % {"label": label}
        return _(
            "The options for “%(label)s” cannot be loaded just now. You can leave this "
            "question out and continue."
        ) % {"label": label}


@register
class ChoiceType(FieldType):
    kind = "choice"

    def parse(self, spec, raw, where, known, problems, parse_field) -> None:
        source = raw.get("options_from")
        if source is not None:
            if not isinstance(source, str) or not SOURCE_KEY_RE.match(source):
                problems.append(f"{where}: options_from names a data source by its key")
            elif raw.get("options") is not None:
                problems.append(f"{where}: options come from the definition or a source, not both")
            else:
                spec.options_from = source
            return
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
        if not isinstance(value, str) or value not in _values(f):
            _invalid_choice(f, fail)
            return None
        return value

    def display(self, f, value, lang, file_names) -> str:
        return f.option_label(value, lang)

    def widget(self, f, ctx, path, value, errors, lang, file_names, child_context) -> None:
        chosen = value if isinstance(value, list) else [value]
        offered = f.current_options()
        ctx["source_notice"] = _source_notice(f, offered, lang)
        ctx["options"] = [
            {
                "value": o["value"],
                "label": localize(o.get("label", o["value"]), lang),
                "id": f"{ctx['id']}-{i}",
                "checked": o["value"] in chosen,
            }
            for i, o in enumerate(offered.options)
        ]


@register
class MultichoiceType(ChoiceType):
    kind = "multichoice"

    def clean_value(self, f: FieldSpec, value: Any, fail: Fail, uploads: UploadLookup) -> Any:
        values = [value] if isinstance(value, str) else value
        offered = _values(f)
        if not isinstance(values, (list, tuple)) or not all(
            isinstance(x, str) and x in offered for x in values
        ):
            _invalid_choice(f, fail)
            return None
        chosen = set(values)
        return [o["value"] for o in f.current_options().options if o["value"] in chosen]

    def display(self, f, value, lang, file_names) -> str:
        return ", ".join(f.option_label(v, lang) for v in value)

    def read_post(self, f, post, files, name, existing, store_file) -> Any:
        return post.getlist(name)

    def input_value(self, f: FieldSpec, value: Any) -> Any:
        return [] if value is None else value
