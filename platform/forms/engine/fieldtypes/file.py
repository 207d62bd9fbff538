"""Uploaded files (one, or several with `multiple`), referred to by their upload ids; their type
is the sniffed one, never the name's."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from portalwerk.platform.forms.engine.fieldtypes.base import Fail, FieldType, register
from portalwerk.platform.forms.engine.messages import file_size_message, file_type_message
from portalwerk.platform.forms.engine.specs import FILE_KINDS, FieldSpec, UploadLookup
from portalwerk.platform.forms.errors import FormErrorCode as Code

MIME_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}


def _ids(value: Any) -> list:
    return value if isinstance(value, list) else [value]


@register
class FileType(FieldType):
    kind = "file"

    def required_message(self, f: FieldSpec) -> str:
        return _("Upload a file for “%(label)s”.") % {"label": f.label_text()}

    def clean_value(self, f: FieldSpec, value: Any, fail: Fail, uploads: UploadLookup) -> Any:
        label = f.label_text()
        ids = _ids(value)
        if not all(isinstance(i, str) for i in ids) or (len(ids) > 1 and not f.multiple):
            fail(Code.INVALID_TYPE, _("Upload a file for “%(label)s”.") % {"label": label})
            return None
        found = uploads(ids)
        allowed = set(f.validation.get("file_types") or FILE_KINDS)
        max_size = f.validation.get("max_size")
        for upload_id in ids:
            info = found.get(upload_id)
            if info is None:
                fail(
                    Code.FILE_MISSING,
                    _("The file for “%(label)s” was not found. Upload it again.")
                    % {"label": label},
                )
                return None
            if info.kind not in allowed:
                fail(Code.FILE_TYPE, file_type_message(label, allowed))
                return None
            if max_size and info.size > max_size:
                fail(Code.FILE_TOO_LARGE, file_size_message(label, max_size))
                return None
        return ids if f.multiple else ids[0]

    def upload_ids(self, f: FieldSpec, value: Any) -> list:
        return list(_ids(value))

    def display(self, f, value, lang, file_names) -> str:
        return ", ".join((file_names or {}).get(str(i), str(i)) for i in _ids(value))

    def read_post(self, f, post, files, name, existing, store_file) -> Any:
        upload = files.get(name)
        if upload is not None:
            return store_file(name, upload)
        if post.get(f"{name}-remove"):
            return None
        # A file sent with a step that was not saved (errors, a repeated entry added) is
        # stored but not yet in the draft: the page carries its id, or it would be lost.
        # Ids are looked up in the draft's own uploads only, so a foreign id is "not found".
        kept = [i for i in post.getlist(f"{name}-kept") if i]
        if kept:
            return kept if f.multiple else kept[0]
        return existing

    def widget(self, f, ctx, path, value, errors, lang, file_names, child_context) -> None:
        ids = value if isinstance(value, list) else ([value] if value else [])
        ctx["files"] = [{"id": i, "name": file_names.get(str(i), "")} for i in ids]
        kinds = f.validation.get("file_types") or ["pdf", "png", "jpeg"]
        ctx["accept"] = ",".join(MIME_TYPES[k] for k in kinds)
