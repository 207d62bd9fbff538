"""The staff mutations, one per file, gathered for the tenant schema."""

import strawberry

from portalwerk.graphql.accounts.mutations.change_staff_role import change_staff_role
from portalwerk.graphql.accounts.mutations.deactivate_staff import deactivate_staff
from portalwerk.graphql.accounts.mutations.invite_staff import invite_staff
from portalwerk.graphql.accounts.mutations.reactivate_staff import reactivate_staff
from portalwerk.graphql.accounts.mutations.resend_staff_invitation import (
    resend_staff_invitation,
)


@strawberry.type
class StaffMutation:
    invite_staff = invite_staff
    change_staff_role = change_staff_role
    deactivate_staff = deactivate_staff
    reactivate_staff = reactivate_staff
    resend_staff_invitation = resend_staff_invitation
