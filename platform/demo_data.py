"""Demo tenants and accounts. Idempotent: running it again changes nothing that exists."""

from __future__ import annotations

from dataclasses import dataclass, field

from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.appointments.demo import seed_appointments
from portalwerk.platform.authz.actors import from_user, system
from portalwerk.platform.catalog import demo as catalog_demo
from portalwerk.tenants import services
from portalwerk.tenants.models import Tenant

DEMO_PASSWORD = "Demo-Passwort-2026"

TENANTS = [
    services.NewTenant(
        name="Kreis Musterland", slug="musterland", kind="district", official_key="05999000"
    ),
    services.NewTenant(
        name="Stadt Musterstadt",
        slug="musterstadt",
        kind="municipality",
        parent_slug="musterland",
        official_key="05999004",
    ),
    services.NewTenant(
        name="Gemeinde Beispielheim",
        slug="beispielheim",
        kind="municipality",
        parent_slug="musterland",
        official_key="05999008",
    ),
]

PERSONAS = [
    ("citizen", Role.CITIZEN, "buerger"),
    ("clerk", Role.CLERK_PROCESSOR, "sachbearbeitung"),
    ("clerk (reader)", Role.CLERK_READER, "lesend"),
    ("tenant admin", Role.TENANT_ADMIN, "admin"),
]


@dataclass
class Summary:
    password: str = DEMO_PASSWORD
    tenant_urls: list[tuple[str, str]] = field(default_factory=list)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


def _account(email: str, role: str, full_name: str) -> None:
    if not User.objects.filter(email=email).exists():
        User.objects.create_user(
            email, DEMO_PASSWORD, role=role, full_name=full_name, email_verified_at=_now()
        )


def _now():
    from django.utils import timezone

    return timezone.now()


def seed() -> Summary:
    from portalwerk.platform.forms import demo as forms_demo
    from portalwerk.tenants.current import tenant_url

    summary = Summary()
    platform = services.ensure_platform_tenant()
    forms_demo.seed_library()
    with schema_context(platform.schema_name):
        _account("operator@portalwerk.example", Role.OPERATOR, "Olga Operator")
    summary.accounts.append(
        ("operator", "operator@portalwerk.example", tenant_url(platform, "/admin/"))
    )
    tenants = []
    for data in TENANTS:
        tenant = Tenant.objects.filter(slug=data.slug).first()
        if tenant is None:
            tenant = services.create_tenant(actor=system("demo"), data=data)
        tenants.append(tenant)
        url = tenant_url(tenant)
        summary.tenant_urls.append((tenant.name, url))
        with schema_context(tenant.schema_name):
            for persona, role, local in PERSONAS:
                email = f"{local}@{data.slug}.example"
                _account(email, role, f"{persona.title()} {tenant.name}")
                where = url if role == Role.CITIZEN else url + "backoffice/"
                summary.accounts.append((f"{persona} ({data.slug})", email, where))
            forms_demo.seed_forms(
                actor=from_user(User.objects.get(email=f"admin@{data.slug}.example"))
            )
    catalog_demo.seed(tenants)
    for tenant in tenants:  # appointments are taken at the catalogue's offices: seeded after them
        with schema_context(tenant.schema_name):
            seed_appointments(
                clerk=User.objects.get(email=f"sachbearbeitung@{tenant.slug}.example")
            )
    return summary
