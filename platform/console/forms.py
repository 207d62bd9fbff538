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


class NewTenantForm(forms.Form):
    """A new tenant as the operator types it; the onboarding service checks it (every problem
    at once, each at its field)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.CharField(
        label=_("Slug"), max_length=48, help_text=_("Lower-case letters, digits and hyphens.")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in TenantKind.choices if c[0] != TenantKind.PLATFORM]
    )
    parent_slug = forms.CharField(label=_("District (slug)"), required=False, max_length=48)
    official_key = forms.CharField(label=_("Official key (AGS/ARS)"), required=False, max_length=12)
    extra_domains = forms.CharField(
        label=_("Custom domains"), required=False, help_text=_("Separated by spaces or commas.")
    )
    admin_email = forms.EmailField(
        label=_("First tenant admin (email)"),
        required=False,
        help_text=_("Gets an invitation to choose a password; optional, can be sent later."),
    )
    demo_content = forms.BooleanField(label=_("Adopt the library's demo content"), required=False)

    def new_tenant(self):
        from portalwerk.tenants.services import NewTenant

        data = self.cleaned_data
        return NewTenant(
            name=data["name"],
            slug=data["slug"],
            kind=data["kind"],
            parent_slug=data.get("parent_slug") or None,
            official_key=data.get("official_key", ""),
            domains=[d for d in data.get("extra_domains", "").replace(",", " ").split() if d],
            admin_email=data.get("admin_email") or "",
        )

    def add_refusal(self, exc) -> None:
        """The service's refusal at the fields it names (its names mapped onto this form's)."""
        mapping = {"parent": "parent_slug", "domains": "extra_domains"}
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, errors in exc.error_dict.items():
            target = mapping.get(field, field)
            self.add_error(target if target in self.fields else None, errors)
