"""`rest`: JSON over HTTP GET. The answer's list of options (or the values to prefill) is found
by the mapping every data source has (`base.MappingFields`)."""

from __future__ import annotations

import json

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.datasources import http
from portalwerk.platform.datasources.base import (
    DataSourcePlugin,
    MappingFields,
    Problem,
    SourceError,
)
from portalwerk.platform.datasources.registry import sources
from portalwerk.platform.plugins import addresses


class RestConfig(MappingFields):
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Asked with GET; it must answer with JSON."),
    )
    bearer_token = forms.CharField(
        label=_("Access token"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Sent as “Authorization: Bearer …”. Left empty, the saved one is kept."),
    )
    field_order = ["url", "bearer_token", "list_path", "value_key", "label_key"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        refused = addresses.refusal(url)
        if refused:
            raise forms.ValidationError(refused, code="local_address")
        return url


@sources.register("rest")
class RestSource(DataSourcePlugin):
    label = _("REST (JSON over HTTP)")
    config_form = RestConfig
    secret_fields = ("bearer_token",)

    def fetch(self, config, limits):
        headers = {"Accept": "application/json"}
        if config.get("bearer_token"):
            headers["Authorization"] = f"Bearer {config['bearer_token']}"
        body = http.get(config["url"], limits, headers)
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            where = f" at line {exc.lineno} column {exc.colno}" if hasattr(exc, "lineno") else ""
            raise SourceError(Problem.INVALID, f"not JSON{where}") from None
