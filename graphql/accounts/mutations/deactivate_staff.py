import strawberry

from portalwerk.graphql.accounts.permissions import IsStaffManager
from portalwerk.graphql.accounts.types import StaffPayload, member_id, payload
from portalwerk.graphql.core.mutations import mutation
from portalwerk.platform.accounts import staff


@mutation(
    permission=IsStaffManager,
    description="Close a staff account (no sign-in; its history stays). The last active "
    "tenant admin cannot be deactivated (code last_admin).",
    fields={"member": "id"},
)
def deactivate_staff(info: strawberry.Info, id: strawberry.ID) -> StaffPayload:
    user = staff.deactivate_staff(actor=info.context.request.actor, member=member_id(id))
    return payload(user)
