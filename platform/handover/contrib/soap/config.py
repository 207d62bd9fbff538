"""The settings of one SOAP target, checked against the receiving system's WSDL on save."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portalwerk.platform.handover.contrib.soap import client as clients
from portalwerk.platform.handover.contrib.soap import mapping


class MappingField(forms.CharField):
    """The mapping as lines of text in the form, as a list of rules in `cleaned_data`."""

    widget = forms.Textarea(attrs={"rows": 12, "spellcheck": "false"})

    def prepare_value(self, value):
        if isinstance(value, list):
            return mapping.dump(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = super().to_python(value)
        rules, problems = mapping.parse(text)
        if problems:
            raise ValidationError(problems, code="mapping")
        return [rule.as_json() for rule in rules]


class SoapTargetForm(forms.Form):
    wsdl_url = forms.URLField(
        label=gettext_lazy("WSDL address"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("Where the receiving system describes its interface (WSDL)."),
    )
    operation = forms.CharField(
        label=gettext_lazy("Operation"),
        max_length=120,
        help_text=gettext_lazy("The operation that takes an application, e.g. AntragEinreichen."),
    )
    username = forms.CharField(label=gettext_lazy("User name"), max_length=120, required=False)
    password = forms.CharField(
        label=gettext_lazy("Password"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
    )
    timeout = forms.IntegerField(
        label=gettext_lazy("Timeout (seconds)"), min_value=1, max_value=120, initial=30
    )
    mapping = MappingField(
        label=gettext_lazy("Field mapping"),
        help_text=gettext_lazy(
            "One line per part of the request: path = source:value, for example "
            "“Antragsteller.Name = answer:last_name”. Sources: answer, text, fixed, parcel, "
            "files, uploads."
        ),
    )
    response_reference = forms.CharField(
        label=gettext_lazy("Case number in the answer"),
        max_length=200,
        required=False,
        initial="Aktenzeichen",
        help_text=gettext_lazy(
            "The part of the answer that holds the receiving system's case number."
        ),
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        problems = wsdl_problems(data, fresh=True)
        if problems:
            raise ValidationError(problems, code="wsdl")
        return data


def wsdl_problems(config: Mapping, *, fresh: bool) -> list[str]:
    """What keeps a target's settings from working with its WSDL, in sentences for a tenant
    admin: a WSDL that cannot be read, an operation it lacks, a mapping it does not fit."""
    try:
        client = clients.client_for(config, fresh=fresh)
    except Exception as error:  # noqa: BLE001 (what loading raises is open: network, XML, zeep)
        return [
            _("The WSDL could not be read (%(reason)s).")
            % {"reason": f"{type(error).__name__}: {str(error)[:200]}"}
        ]
    operation = clients.operation(client, config["operation"])
    if operation is None:
        return [
            _("The WSDL has no operation “%(name)s”; it has: %(names)s.")
            % {
                "name": config["operation"],
                "names": ", ".join(clients.operation_names(client)) or "–",
            }
        ]
    rules = [mapping.Rule.of(rule) for rule in config.get("mapping") or []]
    problems = mapping.problems(operation.request, rules)
    if operation.response is not None:
        problem = mapping.response_problem(operation.response, config.get("response_reference", ""))
        if problem:
            problems.append(problem)
    return problems
