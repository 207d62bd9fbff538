import strawberry
from django.core.exceptions import ValidationError

from portalwerk.graphql.forms.mutations.payloads import ExportPayload
from portalwerk.graphql.forms.permissions import IsClerk, request_of
from portalwerk.graphql.forms.types import errors_from, parse_global_id
from portalwerk.platform.casework import services as casework


@strawberry.mutation(permission_classes=[IsClerk], description="Audited, one entry per submission.")
def export_submissions(
    info: strawberry.Info, ids: list[strawberry.ID], format: str
) -> ExportPayload:
    pks = [pk for pk in (parse_global_id("Submission", i) for i in ids) if pk]
    try:
        content_type, data = casework.export_submissions(
            actor=request_of(info).actor, submission_ids=pks, fmt=format
        )
    except ValidationError as exc:
        return ExportPayload(errors=errors_from(exc))
    return ExportPayload(content_type=content_type, content=data.decode("utf-8-sig"))
