from __future__ import annotations

import strawberry
from strawberry import Info

from portalwerk.graphql.accounts.permissions import IsStaffManager
from portalwerk.graphql.accounts.types import StaffMember
from portalwerk.platform.accounts import staff


@strawberry.type
class StaffQuery:
    @strawberry.field(
        permission_classes=[IsStaffManager],
        description="Every staff account of this tenant, by email (a short list: no pages).",
    )
    def staff(self, info: Info) -> list[StaffMember]:
        return [StaffMember.of(m) for m in staff.list_staff(actor=info.context.request.actor)]
