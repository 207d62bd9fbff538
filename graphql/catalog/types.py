"""GraphQL types of the service catalogue. Built from already prefetched rows (see
portalwerk.platform.catalog.queries), so no resolver here queries the database.

Global IDs come from the one codec (`core.ids`), scoped to the providing tenant's schema,
because a member's list also holds its district's services; an ID of any other tenant resolves to
nothing.
"""

from __future__ import annotations

import datetime
from enum import Enum

import strawberry
from strawberry import relay

from portalwerk.graphql.core import ids
from portalwerk.platform.catalog import models, queries


@strawberry.enum(name="FeeKind")
class FeeKind(Enum):
    AMOUNT = "amount"
    FREE = "free"
    SCHEDULE = "schedule"


@strawberry.type(name="ServiceProvider", description="Who provides a service listed for a member.")
class ServiceProvider:
    name: str
    portal_url: str


@strawberry.type(name="Fee")
class Fee:
    kind: FeeKind
    amount_cents: int | None
    note: str


@strawberry.type(name="OpeningPeriod", description="A break is the gap between two periods.")
class OpeningPeriod:
    weekday: int = strawberry.field(description="0 is Monday, 6 is Sunday.")
    weekday_name: str
    opens: datetime.time
    closes: datetime.time


@strawberry.type(name="Closure")
class Closure:
    first_day: datetime.date
    last_day: datetime.date
    reason: str


@strawberry.type(name="Category", description="A life situation grouping services.")
class Category(relay.Node):
    id: relay.NodeID[str]
    slug: str
    name: str
    description: str


@strawberry.type(name="Office")
class Office(relay.Node):
    id: relay.NodeID[str]
    slug: str
    name: str
    street: str
    postcode: str
    city: str
    phone: str
    email: str
    accessibility: str
    opening_hours: list[OpeningPeriod]
    closures: list[Closure]


@strawberry.type(name="Service")
class Service(relay.Node):
    id: relay.NodeID[str]
    slug: str
    name: str
    summary: str
    description: str
    eligibility: str
    documents: list[str]
    fee: Fee
    processing_time: str
    legal_basis: str
    leika_key: str | None
    url: str = strawberry.field(
        description="The service's page (on the district's portal for a district service)."
    )
    form_url: str | None
    appointment_url: str | None
    office: Office | None
    categories: list[Category]
    provided_by: ServiceProvider | None = strawberry.field(
        description="Set when the district provides the service; null for the tenant's own."
    )


def category_type(category: models.Category, scope: str) -> Category:
    return Category(
        id=ids.local_id(category.slug, scope=scope),
        slug=category.slug,
        name=category.name,
        description=category.description,
    )


def office_type(office: models.Office, scope: str, *, hours: bool = True) -> Office:
    """`hours=False` leaves opening hours and closures empty without reading them: for a list
    whose query does not ask for them (so they are never shown)."""
    return Office(
        id=ids.local_id(office.slug, scope=scope),
        slug=office.slug,
        name=office.name,
        street=office.street,
        postcode=office.postcode,
        city=office.city,
        phone=office.phone,
        email=office.email,
        accessibility=office.accessibility,
        opening_hours=[
            OpeningPeriod(
                weekday=p.weekday,
                weekday_name=str(p.get_weekday_display()),
                opens=p.opens,
                closes=p.closes,
            )
            for p in (office.opening_hours.all() if hours else [])
        ],
        closures=[
            Closure(first_day=c.first_day, last_day=c.last_day, reason=c.reason)
            for c in (office.closures.all() if hours else [])
        ],
    )


def service_type(
    entry: queries.Entry, scopes: dict[str, str], own_slug: str, *, hours: bool = True
) -> Service:
    """`scopes` maps the slugs of the tenant and its district to their schemas; `hours` as for
    `office_type`."""
    service = entry.service
    scope = scopes[entry.provider.slug if entry.provider else own_slug]
    return Service(
        id=ids.local_id(service.pk, scope=scope),
        slug=service.slug,
        name=service.name,
        summary=service.summary,
        description=service.description,
        eligibility=service.eligibility,
        documents=service.document_list,
        fee=Fee(
            kind=FeeKind(service.fee_kind),
            amount_cents=service.fee_amount_cents,
            note=service.fee_note,
        ),
        processing_time=service.processing_time,
        legal_basis=service.legal_basis,
        leika_key=service.leika_key or None,
        url=entry.url,
        form_url=service.form_url or None,
        appointment_url=service.appointment_url or None,
        office=office_type(service.office, scope, hours=hours) if service.office else None,
        categories=[category_type(c, scope) for c in service.categories.all()],
        provided_by=(
            ServiceProvider(name=entry.provider.name, portal_url=entry.provider.portal_url)
            if entry.provider
            else None
        ),
    )
