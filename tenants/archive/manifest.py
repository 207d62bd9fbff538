"""The archive's `manifest.json`: what it holds and how to tell that it is whole.

Layout of the ZIP file (docs/operators/tenant-archive.md):

    data/<kind>/<app_label.Model>.jsonl   one JSON object per row (Django's serialisation)
    blobs/<app_label.Model>/<field>/<pk>  the bytes of a binary column (receipt PDFs, logo)
    media/<path>                          the tenant's files (MEDIA_ROOT/<schema>/<path>)
    manifest.json                         written last: format, tenant, migrations, counts and
                                          the SHA-256 and size of every other member
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import metadata

import django
from django.utils.translation import gettext as _

from portalwerk.tenants.archive.errors import ArchiveErrorCode as Code

FORMAT = "portalwerk-tenant-archive"
FORMAT_VERSION = 1
NAME = "manifest.json"


def portalwerk_version() -> str:
    try:
        return metadata.version("portalwerk")
    except metadata.PackageNotFoundError:  # a checkout that was never installed
        return "unknown"


@dataclass
class Manifest:
    created_at: str
    tenant: dict
    migrations: list[str]
    passwords: bool
    #: kind -> {model label: rows}
    kinds: dict[str, dict[str, int]] = field(default_factory=dict)
    #: member name -> {"sha256": hex, "size": bytes}
    files: dict[str, dict] = field(default_factory=dict)
    not_exported: dict[str, str] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    portalwerk_version: str = field(default_factory=portalwerk_version)
    django_version: str = django.get_version()

    def counts(self) -> dict[str, int]:
        return {label: n for labels in self.kinds.values() for label, n in labels.items()}

    def to_json(self) -> bytes:
        body = {"format": FORMAT, **self.__dict__}
        return json.dumps(body, indent=2, ensure_ascii=False, sort_keys=False).encode()

    @classmethod
    def parse(cls, raw: bytes) -> Manifest:
        try:
            body = json.loads(raw)
        except ValueError:
            raise Code.DAMAGED.error(_("The archive's manifest is not readable JSON.")) from None
        if not isinstance(body, dict) or body.get("format") != FORMAT:
            raise Code.NOT_AN_ARCHIVE.error(_("This is not a Portalwerk tenant archive."))
        version = body.get("format_version")
        if not isinstance(version, int) or version < 1:
            raise Code.DAMAGED.error(_("The archive's manifest has no format version."))
        if version > FORMAT_VERSION:
            raise Code.NEWER_FORMAT.error(
                _(
                    "The archive has format version %(found)s; this Portalwerk reads up to "
                    "version %(known)s. Import it with a newer Portalwerk."
                )
                % {"found": version, "known": FORMAT_VERSION}
            )
        body.pop("format")
        try:
            return cls(**body)
        except TypeError:
            raise Code.DAMAGED.error(_("The archive's manifest is incomplete.")) from None
