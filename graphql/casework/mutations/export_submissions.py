import strawberry

from portalwerk.graphql.casework.types import ExportSubmissionsPayload
from portalwerk.graphql.core import ids as global_ids
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.forms.permissions import IsClerk, request_of
from portalwerk.platform.casework import services as casework


@mutation(permission=IsClerk, description="Audited, one entry per submission.")
def export_submissions(
    info: strawberry.Info, ids: list[strawberry.ID], format: str
) -> ExportSubmissionsPayload:
    content_type, data = casework.export_submissions(
        actor=request_of(info).actor,
        submission_ids=[global_ids.decode_int(i, "ClerkSubmission", field="ids") for i in ids],
        fmt=format,
    )
    return ExportSubmissionsPayload(content_type=content_type, content=data.decode("utf-8-sig"))
