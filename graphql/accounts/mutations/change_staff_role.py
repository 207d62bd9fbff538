import strawberry

from portalwerk.graphql.accounts.permissions import IsStaffManager
from portalwerk.graphql.accounts.types import StaffPayload, StaffRole, member_id, payload
from portalwerk.graphql.core.mutations import mutation
from portalwerk.platform.accounts import staff


@mutation(
    permission=IsStaffManager,
    description="Set a staff member's role; finance null keeps the finance role as it is. "
    "The last active tenant admin cannot be demoted (code last_admin).",
    fields={"member": "id"},
)
def change_staff_role(
    info: strawberry.Info, id: strawberry.ID, role: StaffRole, finance: bool | None = None
) -> StaffPayload:
    user = staff.change_role(
        actor=info.context.request.actor, member=member_id(id), role=role.value, finance=finance
    )
    return payload(user)
