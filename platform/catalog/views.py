"""The citizen portal's pages on a tenant host. Server-rendered; nothing needs JavaScript."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from portalwerk.platform.catalog import queries
from portalwerk.platform.catalog.models import Category, Office, PortalSettings, Weekday
from portalwerk.platform.catalog.pagecache import public_page
from portalwerk.platform.catalog.queries import MAX_QUERY_LENGTH

LEGAL_PAGES = {"imprint", "privacy"}


def _tenant(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_platform:
        raise Http404
    return tenant


@require_safe
@public_page
def home(request):
    tenant = _tenant(request)
    return render(
        request,
        "catalog/home.html",
        {
            "top_services": queries.top_services(),
            "categories": list(queries.categories_in_use()),
            "district": queries.district_of(tenant),
        },
    )


def _form_fee(service):
    """The fee the service's online form charges (the catalogue's own fee text is what the
    office typed; the form's is what citizens pay), asked of the forms app through a setting."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    hook = getattr(settings, "PORTALWERK_SERVICE_FORM_FEE", "")
    return import_string(hook)(service.form_url) if hook and service.form_url else None


def render_service(request, service, *, preview: bool = False, status: int = 200):
    return render(
        request,
        "catalog/service.html",
        {
            "service": service,
            "preview": preview,
            "categories": list(service.categories.all()),
            "form_fee": _form_fee(service),
        },
        status=status,
    )


@require_safe
@public_page
def service(request, slug: str):
    _tenant(request)
    found = queries.service_for_page(slug)
    if found is None:
        raise Http404
    return render_service(request, found)


def weekly_hours(office: Office) -> list[tuple[str, list]]:
    by_day: dict[int, list] = {}
    for period in office.opening_hours.all():
        by_day.setdefault(period.weekday, []).append(period)
    return [(label, by_day.get(value, [])) for value, label in Weekday.choices]


@require_safe
@public_page
def office(request, slug: str):
    tenant = _tenant(request)
    found = queries.offices().filter(slug=slug).first()
    if found is None:
        raise Http404
    today = timezone.localdate()
    closures = sorted(
        [c for c in found.closures.all() if c.last_day >= today]
        + days_closed_by_staff(found, today),
        key=lambda c: c.first_day,
    )
    services = list(queries.published_services().filter(office=found))
    return render(
        request,
        "catalog/office.html",
        {
            "office": found,
            "week": weekly_hours(found),
            "closures": closures,
            "closed_today": any(c.covers(today) for c in closures),
            "services": services,
            "bookable": "appointments" in (tenant.modules or []) and takes_appointments(found),
        },
    )


@dataclass(frozen=True)
class ClosedDay:
    """A whole day a clerk closed the office from the appointments day view, shown like a
    closure of the catalogue; the clerk's note is for staff only, so it carries no reason."""

    first_day: dt.date
    last_day: dt.date
    reason: str = ""

    def covers(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day


def days_closed_by_staff(office: Office, today: dt.date) -> list[ClosedDay]:
    """The office's whole-day closures set by the appointments app (reached through the
    reverse relation, like `takes_appointments`; no import of that app)."""
    exceptions = getattr(office, "booking_exceptions", None)
    if exceptions is None:
        return []
    days = exceptions.filter(
        kind="closed", counter__isnull=True, starts__isnull=True, date__gte=today
    ).values_list("date", flat=True)
    return [ClosedDay(day, day) for day in sorted(set(days))]


def takes_appointments(office: Office) -> bool:
    """Whether citizens can book appointments at the office online (the appointments app's
    booking rules for it, reached through the reverse one-to-one; no import of that app)."""
    policy = getattr(office, "booking_policy", None)
    return bool(policy and policy.is_active)


@require_safe
@public_page
def search(request):
    tenant = _tenant(request)
    text = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    words = queries.search_words(text)
    results = queries.search_services(tenant, text) if words else []
    context = {
        "q": text,
        "results": results,
        "searched": bool(text),
        "no_words": bool(text) and not words,
    }
    if not results:
        context["suggestions"] = queries.top_services()
        context["categories"] = list(queries.categories_in_use())
    return render(request, "catalog/search.html", context)


@require_safe
@public_page
def a_to_z(request):
    tenant = _tenant(request)
    return render(request, "catalog/a_to_z.html", {"groups": queries.a_to_z(tenant)})


@require_safe
@public_page
def category(request, slug: str):
    tenant = _tenant(request)
    found = Category.objects.filter(slug=slug).first()
    if found is None:
        raise Http404
    entries = queries.services_for_portal(tenant, category=slug)
    return render(request, "catalog/category.html", {"category": found, "entries": entries})


@require_safe
@public_page
def legal(request, page: str):
    _tenant(request)
    if page not in LEGAL_PAGES:
        raise Http404
    return render(request, f"catalog/{page}.html", {"page_settings": PortalSettings.load()})


@require_safe
def logo(request):
    _tenant(request)
    settings = PortalSettings.objects.only("logo", "logo_type").first()
    if settings is None or not settings.logo:
        raise Http404
    response = HttpResponse(bytes(settings.logo), content_type=settings.logo_type)
    response["Cache-Control"] = "public, max-age=300"
    response["Content-Disposition"] = "inline"
    return response
