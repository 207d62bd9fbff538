"""Types of the staff API (tenant schema)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from portalwerk.graphql.accounts.errors import StaffError
from portalwerk.graphql.core import ids
from portalwerk.platform.accounts import staff

StaffRole = strawberry.enum(
    Enum("StaffRole", [(name.upper(), name) for name in staff.STAFF_ROLES]),
    description="What a staff member may do; finance is a separate flag on top.",
)


@strawberry.type(description="A staff account of this tenant.")
class StaffMember(ids.Node):
    """Resolved from `accounts.staff.StaffMember` rows (the services' list), not the model."""

    email: str
    full_name: str
    finance: bool = strawberry.field(description="Also the finance role (refunds, export).")
    is_active: bool
    invitation_pending: bool = strawberry.field(
        description="Invited, and the password not chosen yet."
    )
    last_login: datetime | None

    @strawberry.field
    def role(self, root: staff.StaffMember) -> StaffRole:
        return StaffRole(root.role)

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, cls | staff.StaffMember)

    @classmethod
    def resolve_id(cls, root: staff.StaffMember, *, info: strawberry.Info) -> str:
        return ids.local_id(root.id)


@strawberry.type
class StaffPayload:
    errors: list[StaffError] = strawberry.field(
        default_factory=list, description="Empty when the mutation succeeded."
    )
    member: StaffMember | None = None


def payload(user) -> StaffPayload:
    return StaffPayload(member=staff.member_of(user))


def member_id(value: strawberry.ID) -> int:
    return ids.decode_int(value, "StaffMember", field="id")
