"""Keeping uploaded files: a citizen's file for a draft's file field, and (through `_store`) a
clerk's attachment to a submission in casework."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from portalwerk.platform.accounts.identity.assurance import SignedInWith
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.forms import uploads as upload_store
from portalwerk.platform.forms.errors import FormErrorCode as Code
from portalwerk.platform.forms.models import Draft, Upload
from portalwerk.platform.forms.services.checks import _ensure_open, _error, _signed_in_user
from portalwerk.tenants.models import Module
from portalwerk.tenants.modules import require_module


@transaction.atomic
def store_upload(
    *,
    actor: Actor,
    draft: Draft,
    field_key: str,
    file,
    signed_in_with: SignedInWith | None = None,
) -> Upload:
    """Keep an uploaded file for a draft's file field: size and type checked, type sniffed from
    the content, stored under a random name, scanned by clamd when configured. `signed_in_with`
    must meet the form's sign-in requirement (a file is part of an answer)."""
    from portalwerk.platform.forms.services.signing_in import check_sign_in

    require_module(Module.FORMS)
    draft = Draft.objects.select_related("version__form").get(pk=draft.pk)
    _ensure_open(draft.version)
    check_sign_in(draft.version.spec, signed_in_with)
    field = _file_field(draft.version.spec, field_key)
    if field is None:
        raise _error(Code.UNKNOWN_FIELD, _("This is not a question here."), field_key)
    return _store(actor=actor, file=file, field=field, field_key=field_key, draft=draft)


def _file_field(spec, field_key: str):
    parts = field_key.split(".")
    field = spec.fields_by_key.get(parts[0])
    if field is not None and field.type == "repeat" and len(parts) == 3 and parts[1].isdigit():
        field = next((c for c in field.children if c.key == parts[2]), None)
    elif len(parts) != 1:
        return None
    return field if field is not None and field.type == "file" else None


def _store(
    *, actor: Actor, file, field=None, field_key: str = "", draft=None, submission=None
) -> Upload:
    from portalwerk.platform.forms.engine.messages import file_size_message, file_type_message

    label = field.label_text() if field is not None else _("Attachment")
    limit = settings.PORTALWERK_UPLOAD_MAX_BYTES
    allowed = {"pdf", "png", "jpeg"}
    if field is not None:
        limit = min(limit, field.validation.get("max_size") or limit)
        allowed = set(field.validation.get("file_types") or allowed)
    where = field_key or "file"
    if file.size > limit:
        raise _error(Code.FILE_TOO_LARGE, file_size_message(label, limit), where)
    file.seek(0)
    kind = upload_store.sniff(file.read(16))
    if kind is None or kind not in allowed:
        raise _error(Code.FILE_TYPE, file_type_message(label, allowed), where)
    file.seek(0)
    sha = upload_store.digest(file.chunks())
    scan = "not_scanned"
    if upload_store.clamd_configured():
        file.seek(0)
        try:
            clean = upload_store.scan_with_clamd(file.chunks())
        except upload_store.ScanFailed:
            raise _error(
                Code.SCAN_UNAVAILABLE,
                _("The file could not be checked for viruses just now. Try again later."),
                where,
            ) from None
        if not clean:
            raise _error(Code.FILE_INFECTED, _("The file contains a virus."), where)
        scan = "clean"
    file.seek(0)
    stored_name = upload_store.new_stored_name()
    upload_store.storage().save(stored_name, file)
    upload = Upload.objects.create(
        draft=draft,
        submission=submission,
        field_key=field_key,
        name=upload_store.safe_name(getattr(file, "name", ""), kind),
        stored_name=stored_name,
        kind=kind,
        size=file.size,
        sha256=sha,
        scan_status=scan,
        uploaded_by=_signed_in_user(actor),
    )
    return upload
