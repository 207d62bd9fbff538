"""Parcels made by hand, target settings and a look into a filed package, for the tests of the
`dms` hand-over backend (the WebDAV share they write to is a fixture in
tests/platform/handover/dms/conftest.py)."""

from __future__ import annotations

import datetime
import hashlib
import zipfile
from pathlib import Path

from lxml import etree

from portalwerk.platform.handover.parcel import Answer, Parcel, ParcelFile

USER, PASSWORD = "portal", "s3cret-share"
SCHEMA = Path(__file__).parents[2] / "platform/handover/contrib/dms/schemas/xdomea_3.0.0/xdomea.xsd"
XDOMEA = {"x": "urn:xoev-de:xdomea:schema:3.0.0"}
PDF = b"%PDF-1.7\n% a receipt\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40


def make_file(name, kind, content, *, field_key="", upload_id=""):
    return ParcelFile(
        name=name,
        kind=kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        read=lambda: content,
        field_key=field_key,
        upload_id=upload_id,
    )


def make_parcel(key="0b7e9c2e-4c4f-4f3e-9a55-5d2f7a1c9e01", **changes) -> Parcel:
    fields = dict(
        idempotency_key=key,
        delivery_id=7,
        target_id=3,
        tenant_schema="alpha",
        tenant_name="Stadt Alpha",
        reference="FS-2026-00042",
        form_slug="fishing-licence",
        form_title="Fischereischein",
        form_version=2,
        language="de",
        submitted_at=datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC),
        applicant_name="Jörg Weiß",
        applicant_email="joerg@example.org",
        answers={"person": {"first_name": "Jörg"}, "licence": {"duration": "5"}},
        answer_list=(
            Answer("person.first_name", "Vorname", "Jörg"),
            Answer("licence.duration", "Gültigkeit", "5 Jahre"),
        ),
        receipt=make_file("FS-2026-00042.pdf", "pdf", PDF),
        files=(
            make_file("Passbild.png", "png", PNG, field_key="photo", upload_id="u-1"),
            make_file("Prüfung & Zeugnis.jpeg", "jpeg", JPEG, field_key="exam", upload_id="u-2"),
        ),
        fee_cents=4500,
        payment_reference="KZ-77",
        payment_status="paid",
    )
    fields.update(changes)
    return Parcel(**fields)


def dms_config(**changes) -> dict:
    config = {
        "destination": "webdav",
        "url": "",
        "username": USER,
        "password": PASSWORD,
        "folder": "",
        "timeout": 10,
        "sender_name": "",
        "sender_prefix": "ags",
        "sender_code": "09189155",
        "recipient_name": "Landratsamt Musterkreis",
        "recipient_unit": "Untere Fischereibehörde",
        "recipient_prefix": "",
        "recipient_code": "",
        "creator": "portalwerk",
        "filing_location": "32.1 Fischereischeine",
    }
    config.update(changes)
    return config


_schema = None


def xdomea_schema() -> etree.XMLSchema:
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    return _schema


def open_package(path: Path):
    """What the DMS finds in one package: the parsed message, validated against the official
    schema (AssertionError otherwise), and the primary files by name."""
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    message_name = path.name.removesuffix(".zip") + ".xml"
    message = etree.fromstring(contents.pop(message_name))
    schema = xdomea_schema()
    assert schema.validate(message), schema.error_log
    return message, contents
