from __future__ import annotations

import strawberry
from strawberry import Info, relay

from portalwerk.graphql.accounts.permissions import IsStaffManager
from portalwerk.graphql.accounts.types import StaffMember
from portalwerk.graphql.core.pagination import Connection
from portalwerk.platform.accounts import staff


@strawberry.type
class StaffQuery:
    @relay.connection(
        Connection[StaffMember],
        permission_classes=[IsStaffManager],
        description="Every staff account of this tenant, active or not, by email.",
    )
    def staff(self, info: Info) -> list[StaffMember]:
        # the services' rows (two queries for the whole list), resolved by StaffMember
        return staff.list_staff(actor=info.context.request.actor)
