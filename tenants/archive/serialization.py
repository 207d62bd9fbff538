"""Django's JSON Lines serialiser, made lossless for an archive: full microseconds (Django's
encoder cuts them to milliseconds, after ECMA-262), natural keys only where a row points at
what migrations make (content types, permissions: their ids differ between schemas), primary
keys everywhere else (the archive is loaded into an empty schema, so ids are kept as they are)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

NATURAL_KEY_MODELS = frozenset({"contenttypes.ContentType", "auth.Permission"})


class LosslessEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    #: False: the user model's password hashes are written as "!" (an unusable password)
    passwords = True

    def get_dump_object(self, obj):
        data = super().get_dump_object(obj)
        if not self.passwords and obj._meta.label == settings.AUTH_USER_MODEL:
            data["fields"]["password"] = UNUSABLE_PASSWORD_PREFIX
        return data

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.related_model._meta.label in NATURAL_KEY_MODELS
        super().handle_fk_field(obj, field)


def row_fields(model: type[models.Model]) -> list[str]:
    """The columns a row carries in its JSON line: every concrete field but binary ones (their
    bytes are files of their own in the archive) and many-to-many ones (their through tables
    are models of their own)."""
    return [
        f.name for f in model._meta.local_concrete_fields if not f.primary_key and not binary(f)
    ]


def binary_fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.local_concrete_fields if binary(f)]


def binary(field) -> bool:
    return field.get_internal_type() == "BinaryField"


def serialize(objects, stream, *, passwords: bool = True) -> None:
    """Write `objects` (one model's) as JSON Lines to the text `stream`."""
    objects = list(objects)
    if not objects:
        return
    serializer = Serializer()
    serializer.passwords = passwords
    serializer.serialize(
        objects, stream=stream, fields=row_fields(type(objects[0])), cls=LosslessEncoder
    )


def deserialize(lines):
    """The rows of JSON `lines` as Django's DeserializedObjects."""
    return jsonl.Deserializer(lines, handle_forward_references=False)
