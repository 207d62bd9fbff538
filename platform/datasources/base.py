"""The interface every data source plugin implements.

A plugin fetches one document (JSON-like Python data: dicts, lists, strings, numbers) from the
system it speaks to, with the settings its `config_form` validated, within the `Limits` the
service gives it. Mapping the document to options or values is not the plugin's business: the
service does it the same way for every plugin (`mapping.py`), from the mapping fields every config
form carries (`MappingFields`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.datasources import mapping
from portalwerk.platform.plugins import Plugin, PluginUnavailable


class SourceUnavailable(PluginUnavailable):
    """No data source plugin of that name is enabled on this installation."""


class Problem(StrEnum):
    """Why a fetch gave nothing usable, as tenant admins read it (`describe`)."""

    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    SOURCE_ERROR = "source_error"  # HTTP 5xx/4xx, a SOAP fault
    INVALID = "invalid"  # not JSON / not XML the WSDL describes
    WRONG_SHAPE = "wrong_shape"  # parsed, but the mapping finds no list of options in it
    TOO_LARGE = "too_large"  # more bytes or more options than we take
    CONFIGURATION = "configuration"  # the settings cannot work (plugin off, bad WSDL)


DESCRIPTIONS = {
    Problem.UNREACHABLE: _("The source could not be reached."),
    Problem.TIMEOUT: _("The source did not answer in time."),
    Problem.SOURCE_ERROR: _("The source reported an error of its own."),
    Problem.INVALID: _("The source answered with something that is not valid data."),
    Problem.WRONG_SHAPE: _("The answer does not have the shape the mapping expects."),
    Problem.TOO_LARGE: _("The answer is larger than we accept."),
    Problem.CONFIGURATION: _("The settings of this source cannot work."),
}


def describe(problem: str) -> str:
    try:
        return str(DESCRIPTIONS[Problem(problem)])
    except ValueError:
        return str(DESCRIPTIONS[Problem.CONFIGURATION])


class SourceError(Exception):
    """A fetch that gave nothing usable. `detail` is technical (an HTTP status, a byte count, a
    parser's complaint about a position) and never holds the answer's content: it is logged."""

    def __init__(self, problem: Problem, detail: str = ""):
        self.problem = Problem(problem)
        self.detail = detail[:300]
        super().__init__(f"{self.problem}: {self.detail}" if self.detail else str(self.problem))


@dataclass(frozen=True)
class Limits:
    timeout: float  # seconds for the whole fetch, connecting and reading
    max_bytes: int


class MappingFields(forms.Form):
    """Where the options are in the document; every plugin's config form inherits these."""

    list_path = forms.CharField(
        label=_("Path to the list of options"),
        required=False,
        max_length=200,
        help_text=_(
            "For example $.waters[*] or data.items. Leave empty for a source that only "
            "provides values to prefill."
        ),
    )
    value_key = forms.CharField(
        label=_("Key of an option's value"), required=False, max_length=100, initial="id"
    )
    label_key = forms.CharField(
        label=_("Key of an option's label"), required=False, max_length=100, initial="name"
    )

    def clean_list_path(self):
        path = self.cleaned_data["list_path"].strip()
        if path:
            try:
                mapping.parse_path(path)
            except ValueError as exc:
                raise forms.ValidationError(str(exc), code="invalid_path") from None
        return path

    def clean(self):
        data = super().clean()
        if data.get("list_path") and not data.get("value_key"):
            self.add_error("value_key", _("Name the key that holds an option's value."))
        return data


class DataSourcePlugin(Plugin):
    #: the settings of one source (a subclass of MappingFields); its cleaned_data is stored
    config_form: type[forms.Form] = MappingFields
    #: fields of `config_form` never shown again once saved (tokens, passwords)
    secret_fields: tuple[str, ...] = ()

    def fetch(self, config: Mapping[str, Any], limits: Limits) -> Any:
        """The source's answer as JSON-like data, or `SourceError`. Never longer than
        `limits.timeout`, never more than `limits.max_bytes` read."""
        raise NotImplementedError
