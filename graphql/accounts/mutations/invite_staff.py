import strawberry

from portalwerk.graphql.accounts.permissions import IsStaffManager
from portalwerk.graphql.accounts.types import StaffPayload, StaffRole, payload
from portalwerk.graphql.core.mutations import mutation
from portalwerk.platform.accounts import staff


@strawberry.input
class InviteStaffInput:
    email: str
    role: StaffRole
    finance: bool = False
    full_name: str = ""
    language: str = strawberry.field(default="de", description="de or en: the mail's language.")


@mutation(
    permission=IsStaffManager,
    description="Make a staff account and mail its invitation link (valid 7 days, once).",
)
def invite_staff(info: strawberry.Info, input: InviteStaffInput) -> StaffPayload:
    user = staff.invite_staff(
        actor=info.context.request.actor,
        email=input.email,
        role=input.role.value,
        finance=input.finance,
        full_name=input.full_name,
        language=input.language,
    )
    return payload(user)
