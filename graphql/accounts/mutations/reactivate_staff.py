import strawberry

from portalwerk.graphql.accounts.permissions import IsStaffManager
from portalwerk.graphql.accounts.types import StaffPayload, member_id, payload
from portalwerk.graphql.core.mutations import mutation
from portalwerk.platform.accounts import staff


@mutation(
    permission=IsStaffManager,
    description="Open a deactivated staff account again.",
    fields={"member": "id"},
)
def reactivate_staff(info: strawberry.Info, id: strawberry.ID) -> StaffPayload:
    user = staff.reactivate_staff(actor=info.context.request.actor, member=member_id(id))
    return payload(user)
