"""The tenant list's filters: a value outside the choices is refused at its field (400)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portalwerk.tenants.models import TenantKind, TenantStatus

MAX_SEARCH = 100
ANY = [("", _("any"))]


class TenantFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name, slug, domain or official key"),
        required=False,
        max_length=MAX_SEARCH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + list(TenantStatus.choices)
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=ANY + [c for c in TenantKind.choices if c[0] != TenantKind.PLATFORM],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["page"].widget = forms.HiddenInput()
        self.fields["page"].error_messages["invalid"] = _("The page must be a number.")
