import base64
import binascii

import strawberry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portalwerk.graphql.core import ids
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.forms.mutations.payloads import UploadPayload
from portalwerk.graphql.forms.permissions import AllowAnonymous, request_of
from portalwerk.graphql.forms.types import UploadType
from portalwerk.platform.accounts.identity import assurance
from portalwerk.platform.forms import access, services


@mutation(
    permission=AllowAnonymous,
    description="The caller's own draft. The file comes base64-encoded (multipart is off); "
    "its `answer` is then the answer of the file field.",
    answer_paths=True,
)
def upload_file(
    info: strawberry.Info, draft_id: strawberry.ID, field: str, name: str, content_base64: str
) -> UploadPayload:
    request = request_of(info)
    draft = access.get_draft_for(
        request.actor,
        ids.decode(draft_id, "Draft"),
        access.owned(request.session, access.DRAFTS_KEY),
    )
    if len(content_base64) > settings.PORTALWERK_UPLOAD_MAX_BYTES * 4 // 3 + 4:
        content = b"\0" * (settings.PORTALWERK_UPLOAD_MAX_BYTES + 1)  # let the service say it
    else:
        try:
            content = base64.b64decode(content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(
                {field: ValidationError("Not base64.", code="invalid_type")}
            ) from None
    upload = services.store_upload(
        actor=request.actor,
        draft=draft,
        field_key=field,
        file=SimpleUploadedFile(name, content),
        signed_in_with=assurance.current(request.session),
    )
    return UploadPayload(upload=UploadType.of(upload))
