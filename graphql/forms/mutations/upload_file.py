import base64
import binascii

import strawberry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portalwerk.graphql.core.errors import FieldError
from portalwerk.graphql.forms.mutations.payloads import UploadPayload, not_found
from portalwerk.graphql.forms.permissions import AllowAnonymous, request_of
from portalwerk.graphql.forms.types import UploadType, errors_from
from portalwerk.platform.forms import access, services


@strawberry.mutation(
    permission_classes=[AllowAnonymous],
    description="The caller's own draft. The file comes base64-encoded (multipart is off); "
    "its id is then the answer of the file field.",
)
def upload_file(
    info: strawberry.Info, draft_id: strawberry.ID, field: str, name: str, content_base64: str
) -> UploadPayload:
    request = request_of(info)
    try:
        draft = access.get_draft_for(
            request.actor, draft_id, access.owned(request.session, access.DRAFTS_KEY)
        )
    except ValidationError:
        return UploadPayload(errors=not_found())
    if len(content_base64) > settings.PORTALWERK_UPLOAD_MAX_BYTES * 4 // 3 + 4:
        content = b"\0" * (settings.PORTALWERK_UPLOAD_MAX_BYTES + 1)  # let the service say it
    else:
        try:
            content = base64.b64decode(content_base64, validate=True)
        except (binascii.Error, ValueError):
            return UploadPayload(
                errors=[FieldError(field=field, code="invalid_type", message="Not base64.")]
            )
    try:
        upload = services.store_upload(
            actor=request.actor,
            draft=draft,
            field_key=field,
            file=SimpleUploadedFile(name, content),
        )
    except ValidationError as exc:
        return UploadPayload(errors=errors_from(exc))
    return UploadPayload(
        upload=UploadType(
            id=strawberry.ID(str(upload.pk)), name=upload.name, kind=upload.kind, size=upload.size
        )
    )
