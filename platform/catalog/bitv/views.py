"""The BITV 2.0 pages: accessibility statement with its feedback form, Leichte Sprache and
German Sign Language. On tenant hosts they show the tenant's own entries; on the base host
(`platform_*`) the data centre's, with the shipped texts and the federal arbitration body."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from portalwerk.platform.catalog.bitv import arbitration, easy_language, services


class FeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Which barrier did you find?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Describe what did not work, and on which page."),
    )
    page = forms.CharField(label=_("Page concerned (optional)"), required=False, max_length=500)
    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("Your email address (optional)"),
        required=False,
        help_text=_("So that we can answer you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


# What the platform knows about every portal it runs, whatever the tenant enters.
PLATFORM_CHECKS = [
    _("Every page type is checked automatically in German and English with axe-core."),
    _("Every page type is checked with the Nu HTML Checker for valid HTML."),
    _("Every page type is checked at 320 CSS pixels for content that needs horizontal scrolling."),
    _("Every demo form is filled in and sent with the keyboard alone."),
    _("Tenant colours are refused when their contrast fails WCAG 2.1 AA."),
]


def _base(request) -> str:
    return "catalog/base.html" if _tenant_or_none(request) else "portal/base.html"


def _tenant_or_none(request):
    tenant = getattr(request, "tenant", None)
    return None if tenant is None or tenant.is_platform else tenant


def _statement_context(request, form):
    from portalwerk.platform.catalog.models import AccessibilityStatement, PortalSettings

    tenant = _tenant_or_none(request)
    if tenant is None:
        statement, page_settings, barriers = None, None, []
        body, name = arbitration.FEDERAL, "Portalwerk"
    else:
        statement = AccessibilityStatement.load()
        page_settings = PortalSettings.load()
        barriers = list(statement.barriers.all()) if statement.pk else []
        body, name = arbitration.body_for(tenant.official_key), tenant.name
    return {
        "statement": statement,
        "page_settings": page_settings,
        "barriers": barriers,
        "arbitration": body,
        "owner": name,
        "platform_checks": PLATFORM_CHECKS,
        "response_days": statement.response_days if statement else 14,
        "form": form,
        "feedback_url": request.path,
        "base_template": _base(request),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def statement(request):
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and _tenant_or_none(request) is None:
        status = 405  # the base host shows the statement; feedback goes to a tenant's portal
    elif request.method == "POST":
        if form.is_valid():
            from portalwerk.platform.client import client_ip

            try:
                services.send_accessibility_feedback(
                    actor=request.actor, ip=client_ip(request), **form.cleaned_data
                )
            except ValidationError as exc:
                for field, errors in getattr(exc, "error_dict", {None: exc.error_list}).items():
                    for error in errors:
                        form.add_error(field, error)
            else:
                messages.success(
                    request, _("Thank you. Your message has reached us, and we will answer you.")
                )
                return redirect(request.path)
        status = 429 if form.has_error(forms.forms.NON_FIELD_ERRORS, "rate_limited") else 400
    return render(
        request, "catalog/accessibility.html", _statement_context(request, form), status=status
    )


def _easy_texts(request) -> list[dict]:
    from portalwerk.platform.catalog.models import AccessibilityStatement

    tenant = _tenant_or_none(request)
    statement = AccessibilityStatement.load() if tenant else None
    name = tenant.name if tenant else "Portalwerk"
    titles = {
        "content": "Was finden Sie auf dieser Seite?",
        "navigation": "So benutzen Sie die Seite",
        "statement": "Barriere-freiheit",
    }
    texts = []
    for key, default in easy_language.DEFAULTS.items():
        own = getattr(statement, f"easy_{key}", "") if statement else ""
        texts.append({"key": key, "title": titles[key], "text": own or default.format(name=name)})
    return texts


@require_safe
def easy_language_page(request):
    return render(
        request,
        "catalog/easy_language.html",
        {"sections": _easy_texts(request), "base_template": _base(request)},
    )


@require_safe
def sign_language_page(request):
    from portalwerk.platform.catalog.models import SignLanguageVideo

    videos = list(SignLanguageVideo.objects.all()) if _tenant_or_none(request) else []
    return render(
        request, "catalog/sign_language.html", {"videos": videos, "base_template": _base(request)}
    )
