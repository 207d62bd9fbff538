from __future__ import annotations

import strawberry
import strawberry_django
from django.db.models import QuerySet
from django_tenants.utils import get_public_schema_name
from strawberry import Info

from portalwerk.graphql.core.pagination import Connection
from portalwerk.graphql.core.permissions import AllowAnonymous, IsOperator
from portalwerk.graphql.tenants.types import PublicTenant, TenantNode
from portalwerk.tenants.models import Tenant


@strawberry.type
class TenantQuery:
    """Tenant API: the tenant whose host the request came to."""

    @strawberry_django.field(
        permission_classes=[AllowAnonymous],
        description="The municipality or district this portal belongs to.",
    )
    def tenant(self, info: Info) -> PublicTenant:
        # request.tenant comes from the routing cache and may be stale; read the row afresh.
        return Tenant.objects.filter(pk=info.context.request.tenant.pk)


@strawberry.type
class PlatformTenantQuery:
    """Platform API: every tenant, for operators."""

    @strawberry_django.connection(
        Connection[TenantNode],
        permission_classes=[IsOperator],
        description="All tenants, by name.",
    )
    def tenants(self) -> QuerySet[Tenant]:
        return Tenant.objects.exclude(schema_name=get_public_schema_name()).order_by("name", "pk")
