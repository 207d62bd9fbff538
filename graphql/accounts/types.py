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
class StaffMember:
    id: strawberry.ID
    email: str
    full_name: str
    role: StaffRole
    finance: bool = strawberry.field(description="Also the finance role (refunds, export).")
    is_active: bool
    invitation_pending: bool = strawberry.field(
        description="Invited, and the password not chosen yet."
    )
    last_login: datetime | None

    @classmethod
    def of(cls, member: staff.StaffMember) -> StaffMember:
        return cls(
            id=ids.encode("StaffMember", member.id),
            email=member.email,
            full_name=member.full_name,
            role=StaffRole(member.role),
            finance=member.finance,
            is_active=member.is_active,
            invitation_pending=member.invitation_pending,
            last_login=member.last_login,
        )


@strawberry.type
class StaffPayload:
    errors: list[StaffError] = strawberry.field(
        default_factory=list, description="Empty when the mutation succeeded."
    )
    member: StaffMember | None = None


def payload(user) -> StaffPayload:
    return StaffPayload(member=StaffMember.of(staff.member_of(user)))


def member_id(value: strawberry.ID) -> int:
    return ids.decode_int(value, "StaffMember", field="id")
