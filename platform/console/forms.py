"""The tenant list's filters: a value outside the choices is refused at its field (400)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portalwerk.tenants.models import TenantKind, TenantStatus

MAX_SEARCH = 100
ANY = [("", _("any"))]
MAX_PAGE = 100_000
MAX_PAGE_ARGS = {"max": MAX_PAGE}


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
    page = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_page(self) -> int:
        # a page has no field to point at: its error is the form's own
        return self.cleaned_data.get("page") or ""

    def clean(self):
        data = super().clean()
        page = data.get("page", "")
        if page and not (page.isdigit() and 0 < int(page) <= MAX_PAGE):
            self.add_error(None, _("The page must be a number from 1 to %(max)d.") % MAX_PAGE_ARGS)
            data.pop("page", None)
        else:
            data["page"] = int(page) if page else 1
        return data
