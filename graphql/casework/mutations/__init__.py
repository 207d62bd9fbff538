"""The casework mutations (the clerk's inbox), one per file, gathered for the tenant schema."""

import strawberry

from portalwerk.graphql.casework.mutations.assign_submission import assign_submission
from portalwerk.graphql.casework.mutations.change_submission_status import (
    change_submission_status,
)
from portalwerk.graphql.casework.mutations.export_submissions import export_submissions
from portalwerk.graphql.casework.mutations.send_message import send_message


@strawberry.type
class CaseworkMutation:
    change_submission_status = change_submission_status
    send_message = send_message
    assign_submission = assign_submission
    export_submissions = export_submissions
