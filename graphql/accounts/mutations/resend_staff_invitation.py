import strawberry

from portalwerk.graphql.accounts.permissions import IsStaffManager
from portalwerk.graphql.accounts.types import StaffPayload, member_id, payload
from portalwerk.graphql.core.mutations import mutation
from portalwerk.platform.accounts import staff


@mutation(
    permission=IsStaffManager,
    description="Mail a new invitation link to a staff member who has not accepted yet.",
    fields={"member": "id"},
)
def resend_staff_invitation(info: strawberry.Info, id: strawberry.ID) -> StaffPayload:
    user = staff.resend_invitation(actor=info.context.request.actor, member=member_id(id))
    return payload(user)
