"""GraphQL types of tenants: `Tenant` as citizens see it (tenant API) and as operators see it
(platform API, a Relay node). Each schema has only one of them, so both are named `Tenant`."""

from __future__ import annotations

import datetime
from enum import Enum

import strawberry
import strawberry_django
from django.db.models import TextChoices

from portalwerk.graphql.core import ids
from portalwerk.tenants import models


def _enum_of(choices: type[TextChoices], name: str, description: str):
    # Built from the model's choices, so the API cannot drift from what the database holds.
    return strawberry.enum(
        Enum(name, [(member.name, member.value) for member in choices]),
        description=description,
    )


TenantKind = _enum_of(models.TenantKind, "TenantKind", "What kind of body a tenant is.")
TenantStatus = _enum_of(models.TenantStatus, "TenantStatus", "Where a tenant is in its lifecycle.")
TenantModule = _enum_of(
    models.Module, "TenantModule", "A part of the portal a tenant can switch on."
)


@strawberry_django.type(models.Tenant, name="Tenant", description="A district or municipality.")
class PublicTenant:
    name: str
    slug: str
    kind: TenantKind
    official_key: str = strawberry_django.field(
        description="Municipality key (AGS, 8 digits) or regional key (ARS, 12 digits), or empty."
    )
    parent: PublicTenant | None = strawberry_django.field(
        description="The district a member municipality belongs to."
    )
    members: list[PublicTenant] = strawberry_django.field(
        description="The member municipalities of a district."
    )


@strawberry_django.type(models.Tenant, name="Tenant", description="A tenant of the platform.")
class TenantNode(ids.Node):
    name: str
    slug: str
    kind: TenantKind
    status: TenantStatus
    official_key: str
    modules: list[TenantModule]
    allowed_modules: list[TenantModule] = strawberry_django.field(
        description="What the tenant's contract allows its tenant admins to switch on."
    )
    created_at: datetime.datetime
    parent: TenantNode | None
    members: list[TenantNode]
