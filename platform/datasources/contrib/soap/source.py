"""`soap`: one operation of a web service described by a WSDL, called with zeep. The response
is turned into plain data (zeep's `serialize_object`) and mapped like any other answer.

Everything zeep loads or sends goes through `BoundedTransport`: http(s) only (no local files a
WSDL could point at), one deadline for the WSDL, its schemas and the call together, and the
installation's byte limit on each document."""

from __future__ import annotations

import json
import time
from urllib.parse import urlparse

import requests
import zeep
import zeep.exceptions
import zeep.helpers
from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from lxml import etree

from portalwerk.platform.datasources import http
from portalwerk.platform.datasources.base import (
    DataSourcePlugin,
    Limits,
    MappingFields,
    Problem,
    SourceError,
)
from portalwerk.platform.datasources.registry import sources
from portalwerk.platform.plugins import addresses


class BoundedTransport(zeep.Transport):
    def __init__(self, limits: Limits):
        super().__init__(timeout=limits.timeout, operation_timeout=limits.timeout)
        self.limits = limits
        self.deadline = time.monotonic() + limits.timeout

    def _remaining(self) -> float:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise SourceError(Problem.TIMEOUT, f"no answer within {self.limits.timeout:g} s")
        return remaining

    def load(self, url):
        if urlparse(url).scheme not in ("http", "https"):
            raise SourceError(Problem.CONFIGURATION, "the WSDL refers to a non-http document")
        return self._load_remote_data(url)

    def _load_remote_data(self, url):
        http.refuse_local(url)
        with http.http_errors(self.limits):
            with self.session.get(url, timeout=self._remaining(), stream=True) as response:
                if response.status_code >= 400:
                    raise SourceError(Problem.CONFIGURATION, f"WSDL: HTTP {response.status_code}")
                return http.read_bounded(response, self.limits, self.deadline)

    def post(self, address, message, headers):
        http.refuse_local(address)  # the operation's address comes from the WSDL
        with http.http_errors(self.limits):
            response = self.session.post(
                address, data=message, headers=headers, timeout=self._remaining(), stream=True
            )
            with response:
                response._content = http.read_bounded(response, self.limits, self.deadline)
        return response


def _arguments(text: str) -> dict:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        raise forms.ValidationError(_("Enter the arguments as a JSON object.")) from None
    if not isinstance(value, dict):
        raise forms.ValidationError(_("Enter the arguments as a JSON object."))
    return value


class SoapConfig(MappingFields):
    wsdl_url = forms.CharField(
        label=_("Address of the WSDL"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    operation = forms.RegexField(
        label=_("Operation"), max_length=100, regex=r"^[A-Za-z_][A-Za-z0-9_.\-]*$"
    )
    arguments = forms.CharField(
        label=_("Arguments (JSON object)"),
        required=False,
        max_length=2000,
        initial="{}",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('For example {"region": "nord"}; the parts of the operation\'s message.'),
    )
    field_order = ["wsdl_url", "operation", "arguments", "list_path", "value_key", "label_key"]

    def clean_wsdl_url(self) -> str:
        url = self.cleaned_data["wsdl_url"]
        refused = addresses.refusal(url)
        if refused:
            raise forms.ValidationError(refused, code="local_address")
        return url

    def clean_arguments(self):
        _arguments(self.cleaned_data["arguments"])
        return self.cleaned_data["arguments"] or "{}"


def _plain(value):
    """zeep's answer (dicts, lists, Decimals, dates) as JSON data."""
    return json.loads(json.dumps(zeep.helpers.serialize_object(value, dict), default=str))


@sources.register("soap")
class SoapSource(DataSourcePlugin):
    label = _("SOAP (a web service with a WSDL)")
    config_form = SoapConfig

    def fetch(self, config, limits):
        transport = BoundedTransport(limits)
        try:
            client = zeep.Client(config["wsdl_url"], transport=transport)
            operation = getattr(client.service, config["operation"])
            result = operation(**json.loads(config.get("arguments") or "{}"))
        except SourceError:
            raise
        except zeep.exceptions.Fault as exc:
            raise SourceError(
                Problem.SOURCE_ERROR, f"SOAP fault {exc.code or ''}".strip()
            ) from None
        except zeep.exceptions.TransportError as exc:
            if exc.status_code and exc.status_code < 400:  # zeep's word for XML it cannot read
                raise SourceError(Problem.INVALID, "not XML") from None
            raise SourceError(Problem.SOURCE_ERROR, f"HTTP {exc.status_code}") from None
        except (AttributeError, TypeError, zeep.exceptions.LookupError) as exc:
            raise SourceError(Problem.CONFIGURATION, type(exc).__name__) from None
        except (etree.XMLSyntaxError, zeep.exceptions.XMLSyntaxError, zeep.exceptions.Error) as exc:
            raise SourceError(Problem.INVALID, type(exc).__name__) from None
        except requests.RequestException as exc:
            raise SourceError(Problem.UNREACHABLE, type(exc).__name__) from None
        return _plain(result)
