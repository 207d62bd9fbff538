"""Demo catalogue: a shared template library and, per demo tenant, services, offices with opening
hours, life situations and portal settings. Idempotent: what exists already is left alone.

The district provides what German districts typically do (hunting and fishing, cadastre, vehicle
registration, volunteer card); municipalities the registry-office and local-tax services. A member
municipality's portal lists both. LeiKa keys are in the right format but illustrative.

The catalogue itself (life situations, services, offices) is data, in `demo_data/`.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django_tenants.utils import schema_context

from portalwerk.platform.catalog import pagecache
from portalwerk.platform.catalog.demo_data.categories import CATEGORIES
from portalwerk.platform.catalog.demo_data.district_services import DISTRICT_SERVICES
from portalwerk.platform.catalog.demo_data.municipality_services import MUNICIPALITY_SERVICES
from portalwerk.platform.catalog.demo_data.offices import (
    ACCESSIBILITY_NOTE_DE,
    ACCESSIBILITY_NOTE_EN,
    OFFICES,
    WEEK,
)
from portalwerk.platform.catalog.demo_data.search_terms import SEARCH_TERMS
from portalwerk.platform.catalog.models import (
    Category,
    Closure,
    Office,
    OpeningHours,
    PortalSettings,
    Service,
)
from portalwerk.platform.library.models import CONTENT_FIELDS, ServiceTemplate
from portalwerk.tenants.models import Tenant, TenantKind

# district first: the order in which templates and services are created
SERVICES = DISTRICT_SERVICES + MUNICIPALITY_SERVICES

COLOURS = {"district": "#8a1538", "municipality": "#00548a"}


def seed_library() -> None:
    for data in SERVICES:
        if ServiceTemplate.objects.filter(key=data["slug"]).exists():
            continue
        template = ServiceTemplate(key=data["slug"])
        _fill_content(template, data)
        template.full_clean()
        template.save()


def _fill_content(obj, data: dict) -> None:
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(obj, name, data[name])


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _level(tenant: Tenant) -> str:
    return "district" if tenant.kind == TenantKind.DISTRICT else "municipality"


def seed_tenant(tenant: Tenant, *, postcode: str = "12345") -> None:
    """The demo catalogue of one tenant, in its schema."""
    level = _level(tenant)
    with schema_context(tenant.schema_name), transaction.atomic():
        categories = {}
        for slug, de, en, position in CATEGORIES:
            categories[slug], _ = Category.objects.get_or_create(
                slug=slug, defaults={"name_de": de, "name_en": en, "position": position}
            )
        offices = {}
        city = tenant.name.split(" ", 1)[-1]
        domain = f"{tenant.slug}.example"
        for key, de, en, street in OFFICES[level]:
            office, created = Office.objects.get_or_create(
                slug=key,
                defaults={
                    "name_de": de,
                    "name_en": en,
                    "street": street,
                    "postcode": postcode,
                    "city": city,
                    "phone": "0123 456-" + str(100 + len(offices)),
                    "email": f"{key}@{domain}",
                    "accessibility_de": ACCESSIBILITY_NOTE_DE,
                    "accessibility_en": ACCESSIBILITY_NOTE_EN,
                },
            )
            if created:
                for weekday, opens, closes in WEEK:
                    OpeningHours.objects.create(
                        office=office, weekday=weekday, opens=_time(opens), closes=_time(closes)
                    )
                year = datetime.date.today().year
                Closure.objects.create(
                    office=office,
                    first_day=datetime.date(year, 12, 24),
                    last_day=datetime.date(year, 12, 31),
                    reason_de="Weihnachten und Jahreswechsel",
                    reason_en="Christmas and New Year",
                )
            offices[key] = office
        versions = dict(ServiceTemplate.objects.values_list("key", "version"))
        terms = {slug: "\n".join(words) for slug, words in SEARCH_TERMS.items()}
        for slug, words in terms.items():  # demos seeded before there were search terms
            Service.objects.filter(slug=slug, search_terms="").update(search_terms=words)
        for data in SERVICES:
            if data["level"] != level or Service.objects.filter(slug=data["slug"]).exists():
                continue
            service = Service(
                slug=data["slug"],
                office=offices.get(data.get("office")),
                is_published=True,
                is_top=data.get("top", False),
                budget_line=data.get("budget_line", ""),
                library_key=data["slug"] if data["slug"] in versions else "",
                library_version=versions.get(data["slug"]),
                form_url=f"/forms/{data['form']}/" if data.get("form") else "",
                appointment_url=f"/appointments/{data['slug']}/" if data.get("appointment") else "",
                search_terms=terms.get(data["slug"], ""),
            )
            _fill_content(service, data)
            service.full_clean()
            service.save()
            service.categories.set([categories[c] for c in data["cats"]])
        if not PortalSettings.objects.exists():
            PortalSettings.objects.create(
                primary_colour=COLOURS[level],
                imprint_de=f"{tenant.name}\nRathausplatz 1\n{postcode} {city}\n\n"
                "Vertreten durch die Verwaltungsspitze.\nE-Mail: info@" + domain,
                imprint_en=f"{tenant.name}\nRathausplatz 1\n{postcode} {city}\n\n"
                "Represented by the head of administration.\nEmail: info@" + domain,
                privacy_de="Wir verarbeiten personenbezogene Daten nur, soweit dies zur Erfüllung "
                "unserer Aufgaben erforderlich ist (Art. 6 Abs. 1 lit. e DSGVO).",
                feedback_email=f"barrierefreiheit@{domain}",
                feedback_phone="0123 456-0",
            )
        pagecache.bump()


def seed(tenants: list[Tenant]) -> None:
    seed_library()
    for index, tenant in enumerate(tenants):
        seed_tenant(tenant, postcode=f"{12345 + index * 10}")
