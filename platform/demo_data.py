"""Demo tenants and accounts. Idempotent: running it again changes nothing that exists."""

from __future__ import annotations

from dataclasses import dataclass, field

from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role, User
from portalwerk.platform.appointments.demo import seed_appointments
from portalwerk.platform.authz.actors import from_user, system
from portalwerk.platform.catalog import demo as catalog_demo
from portalwerk.platform.cli import _, gettext_noop
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
    (gettext_noop("citizen"), Role.CITIZEN, "buerger"),
    (gettext_noop("clerk"), Role.CLERK_PROCESSOR, "sachbearbeitung"),
    (gettext_noop("clerk (reader)"), Role.CLERK_READER, "lesend"),
    (gettext_noop("tenant admin"), Role.TENANT_ADMIN, "admin"),
]
# The demo's people, per tenant in the order of PERSONAS: names a German portal shows.
PEOPLE = {
    "musterland": ["Erika Mustermann", "Jonas Becker", "Lena Hoffmann", "Stefan Krüger"],
    "musterstadt": ["Max Mustermann", "Sabine Weber", "Thomas Schulz", "Anna Fischer"],
    "beispielheim": ["Lisa Schmidt", "Markus Wagner", "Julia Neumann", "Peter Zimmermann"],
}
OPERATOR_NAME = "Olga Brandt"
# The demo citizens' addresses (on "My account"), which forms' address fields start with.
CITIZEN_ADDRESSES = {
    "musterland": ("Lindenallee", "7", "12345", "Musterland"),
    "musterstadt": ("Hauptstraße", "12", "12345", "Musterstadt"),
    "beispielheim": ("Am Markt", "3", "54321", "Beispielheim"),
}


@dataclass
class Summary:
    password: str = DEMO_PASSWORD
    tenant_urls: list[tuple[str, str]] = field(default_factory=list)
    #: the demo back office (hand-over target "Demo-Fachverfahren"), when the demo backend is on
    back_office_url: str = ""
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


def _account(email: str, role: str, full_name: str, *, was: str = "") -> None:
    """The account, created once; `was` is the name older demos gave it, replaced."""
    if not User.objects.filter(email=email).exists():
        User.objects.create_user(
            email, DEMO_PASSWORD, role=role, full_name=full_name, email_verified_at=_now()
        )
    elif was:
        User.objects.filter(email=email, full_name=was).update(full_name=full_name)


def _address(email: str, parts: tuple[str, str, str, str]) -> None:
    """The citizen's address, set once (by the citizen, as the page would: the owner's write)."""
    from portalwerk.platform.accounts.profile import change_postal_address

    user = User.objects.get(email=email)
    if not user.street:
        street, house_number, postcode, city = parts
        change_postal_address(
            actor=from_user(user),
            user_id=user.pk,
            street=street,
            house_number=house_number,
            postcode=postcode,
            city=city,
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
        _account("operator@portalwerk.example", Role.OPERATOR, OPERATOR_NAME, was="Olga Operator")
    summary.accounts.append(
        (_("operator"), "operator@portalwerk.example", tenant_url(platform, "/console/"))
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
            for (persona, role, local), person in zip(PERSONAS, PEOPLE[data.slug], strict=True):
                email = f"{local}@{data.slug}.example"
                _account(email, role, person, was=f"{persona.title()} {tenant.name}")
                if role == Role.CITIZEN:
                    _address(email, CITIZEN_ADDRESSES[data.slug])
                where = url if role == Role.CITIZEN else url + "backoffice/"
                summary.accounts.append((f"{_(persona)} ({data.slug})", email, where))
    # the catalogue first: a member adopts no form for a service its district provides
    catalog_demo.seed(tenants)
    for tenant in tenants:
        with schema_context(tenant.schema_name):
            forms_demo.seed_forms(
                actor=from_user(User.objects.get(email=f"admin@{tenant.slug}.example"))
            )
    from portalwerk.platform.handover.demo import seed_targets

    for tenant in tenants:  # after the forms they hand over
        with schema_context(tenant.schema_name):
            admin = from_user(User.objects.get(email=f"admin@{tenant.slug}.example"))
            if seed_targets(actor=admin) and not summary.back_office_url:
                summary.back_office_url = tenant_url(platform, "/demo-backoffice/")
    for tenant in tenants:  # appointments are taken at the catalogue's offices: seeded after them
        with schema_context(tenant.schema_name):
            seed_appointments(
                clerk=User.objects.get(email=f"sachbearbeitung@{tenant.slug}.example")
            )
    return summary
