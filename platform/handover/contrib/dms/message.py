"""The xdomea 3.0.0 message `FVDaten.SGOAblegen.0605` for one parcel, packed as xdomea prescribes:
`<ProzessID>_FVDaten.SGOAblegen.0605.zip` holding `<ProzessID>_FVDaten.SGOAblegen.0605.xml` and
the primary files, each named `<UUID of its document>_<name>` (the schema's `stringDateinameType`
wants the UUID first).

Every id is a name-based UUID (uuid5) of the parcel's idempotency key, so every attempt of one
delivery builds the same ProzessID, the same document ids and the same file names, and a repeat
overwrites what the DMS already has instead of filing it twice. docs/handover/dms.md says which
element holds what."""

from __future__ import annotations

import datetime
import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils import timezone
from lxml import etree

from portalwerk.platform.handover.parcel import Parcel, ParcelFile

MESSAGE_TYPE = "FVDaten.SGOAblegen.0605"
XDOMEA = "urn:xoev-de:xdomea:schema:3.0.0"
#: our own small format of the answers (docs/handover/dms.md, "The submission data")
SUBMISSION_NS = "urn:portalwerk:handover:submission:1"
SCHEMA = Path(__file__).parent / "schemas" / "xdomea_3.0.0" / "xdomea.xsd"
#: all ids of one delivery are uuid5 names in this namespace (fixed forever: changing it would
#: file every retried delivery a second time)
ID_NAMESPACE = uuid.UUID("6f1c3b0e-2d7a-5b8e-9c41-0d5e7a9b2f63")

# xdomea code list "Dateiformat" 1.0 (urn:xoev-de:xdomea:codeliste:dateiformat)
FILE_FORMATS = {"pdf": "018", "png": "019", "jpeg": "010", "jpg": "011", "xml": "030"}
OTHER_FORMAT = "100"
# characters XML 1.0 cannot hold at all (lxml refuses them); a citizen's text may have them
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_UNSAFE_NAME = re.compile(r"[^\w.\-]+")
# libxml2 quotes a rejected value as "The value '…' is not …" or "…: '…' is not a valid value"
_QUOTED_VALUE = re.compile(r"(?:(?<=The value )|(?<=: ))'.*?'(?= is not)")


class InvalidMessage(Exception):
    """The message we built does not satisfy the xdomea schema (a fault of ours or of the
    settings, never sent)."""


@dataclass(frozen=True)
class Party:
    """Absender or Empfaenger: an authority as the DMS knows it."""

    name: str
    code: str = ""  # Behoerdenschluessel, e.g. a municipality key
    prefix: str = ""  # Praefix of the Behoerdenkennung, e.g. "ags"
    unit: str = ""  # Organisationseinheit


@dataclass(frozen=True)
class Package:
    process_id: str
    file_name: str  # <ProzessID>_FVDaten.SGOAblegen.0605.zip
    content: bytes
    message: bytes  # the message XML inside, for checks


def process_id(idempotency_key: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, idempotency_key))


def _id(key: str, part: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{key}/{part}"))


def _text(value) -> str:
    return _NOT_XML.sub("", str(value))


def _sub(parent, tag: str, text=None, ns: str = XDOMEA, **attrib):
    element = etree.SubElement(parent, f"{{{ns}}}{tag}" if ns else tag, attrib)
    if text is not None:
        element.text = _text(text)
    return element


def _code(parent, tag: str, code: str, *, list_uri: str = "", list_version: str = ""):
    attrib = {}
    if list_uri:
        attrib["listURI"] = list_uri
    if list_version:
        attrib["listVersionID"] = list_version
    element = _sub(parent, tag, **attrib)
    _sub(element, "code", code, ns="")  # the code's children are unqualified (xoev-code)
    return element


def _party(parent, tag: str, party: Party) -> None:
    contact = _sub(parent, tag)
    if party.code:
        authority = _sub(contact, "Behoerdenkennung")
        _code(authority, "Behoerdenschluessel", party.code)
        if party.prefix:
            _code(authority, "Praefix", party.prefix)
    _sub(_sub(contact, "Institution"), "Name", party.name)
    if party.unit:
        _sub(_sub(contact, "Organisationseinheit"), "Name", party.unit)


def _iso(moment: datetime.datetime) -> str:
    return timezone.localtime(moment, datetime.UTC).replace(microsecond=0).isoformat()


def _safe_name(name: str, fallback: str) -> str:
    cleaned = _UNSAFE_NAME.sub("_", name).strip("._") or fallback
    return cleaned[:120]


@dataclass(frozen=True)
class _Document:
    id: str
    title: str
    kind: str  # Typ: what the document is, in the DMS's words
    file_name: str  # inside the zip
    original_name: str
    file_format: str  # pdf, png, jpeg, xml, …
    content: bytes


def _format_version(file_format: str, content: bytes) -> str:
    if file_format == "pdf":
        found = re.match(rb"%PDF-(\d\.\d)", content[:16])
        return found.group(1).decode() if found else ""
    if file_format == "xml":
        return "1.0"
    return ""


def submission_xml(parcel: Parcel, files: list[tuple[ParcelFile, str]]) -> bytes:
    """The answers as data: our own small format (namespace SUBMISSION_NS, documented in
    docs/handover/dms.md), so the DMS or a clerk can read them without the portal."""
    root = etree.Element(f"{{{SUBMISSION_NS}}}submission", nsmap={None: SUBMISSION_NS})
    root.set("reference", _text(parcel.reference))
    root.set("submitted-at", _iso(parcel.submitted_at))
    root.set("language", parcel.language)
    if parcel.test:
        root.set("test", "true")
    _sub(
        root,
        "form",
        parcel.form_title,
        ns=SUBMISSION_NS,
        slug=parcel.form_slug,
        version=str(parcel.form_version),
    )
    _sub(
        root,
        "applicant",
        ns=SUBMISSION_NS,
        name=_text(parcel.applicant_name),
        email=_text(parcel.applicant_email),
    )
    answers = _sub(root, "answers", ns=SUBMISSION_NS)
    for answer in parcel.answer_list:
        _sub(
            answers,
            "answer",
            answer.text,
            ns=SUBMISSION_NS,
            key=_text(answer.key),
            label=_text(answer.label),
        )
    if parcel.fee_cents or parcel.payment_reference:
        _sub(
            root,
            "fee",
            ns=SUBMISSION_NS,
            cents=str(parcel.fee_cents),
            currency="EUR",
            **{
                "payment-reference": _text(parcel.payment_reference),
                "payment-status": parcel.payment_status,
            },
        )
    listed = _sub(root, "files", ns=SUBMISSION_NS)
    for file, packed_name in files:
        _sub(
            listed,
            "file",
            ns=SUBMISSION_NS,
            name=_text(file.name),
            field=_text(file.field_key),
            kind=file.kind,
            size=str(file.size),
            sha256=file.sha256,
            packed=packed_name,
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _documents(parcel: Parcel) -> list[_Document]:
    key = parcel.idempotency_key
    documents = []
    if parcel.receipt is not None:
        doc_id = _id(key, "receipt")
        documents.append(
            _Document(
                id=doc_id,
                title=f"Antrag {parcel.reference}: {parcel.form_title}",
                kind="Antrag",
                file_name=f"{doc_id}_{_safe_name(parcel.receipt.name, 'antrag.pdf')}",
                original_name=parcel.receipt.name,
                file_format=parcel.receipt.kind,
                content=parcel.receipt.read(),
            )
        )
    for number, file in enumerate(parcel.files, start=1):
        doc_id = _id(key, f"file/{file.upload_id or number}")
        documents.append(
            _Document(
                id=doc_id,
                title=file.name,
                kind="Anlage",
                file_name=f"{doc_id}_{_safe_name(file.name, f'anlage-{number}')}",
                original_name=file.name,
                file_format=file.kind,
                content=file.read(),
            )
        )
    data_id = _id(key, "data")
    uploads = list(
        zip(parcel.files, [d.file_name for d in documents if d.kind == "Anlage"], strict=True)
    )
    documents.append(
        _Document(
            id=data_id,
            title=f"Antragsdaten {parcel.reference}",
            kind="Antragsdaten",
            file_name=f"{data_id}_antragsdaten.xml",
            original_name="antragsdaten.xml",
            file_format="xml",
            content=submission_xml(parcel, uploads),
        )
    )
    return documents


def _document(parent, document: _Document, number: int, parcel: Parcel, created: str) -> None:
    element = _sub(parent, "Dokument")
    identification = _sub(element, "Identifikation")
    _sub(identification, "ID", document.id)
    _sub(identification, "NummerImUebergeordnetenContainer", str(number))
    _sub(_sub(element, "AllgemeineMetadaten"), "Betreff", document.title)
    _sub(element, "Posteingangsdatum", timezone.localdate(parcel.submitted_at).isoformat())
    _sub(element, "Typ", document.kind)
    version = _sub(element, "Version")
    _sub(version, "Nummer", "1")
    file_format = _sub(version, "Format")
    code = FILE_FORMATS.get(document.file_format.lower(), OTHER_FORMAT)
    _code(file_format, "Name", code, list_version="1.0")
    if code == OTHER_FORMAT:
        _sub(file_format, "SonstigerName", document.file_format or "unbekannt")
    _sub(file_format, "Version", _format_version(document.file_format, document.content))
    primary = _sub(file_format, "Primaerdokument")
    _sub(primary, "Dateiname", document.file_name)
    _sub(primary, "DateinameOriginal", document.original_name)
    _sub(primary, "Ersteller", parcel.tenant_name)
    _sub(primary, "DatumUhrzeit", created)


def build(
    parcel: Parcel,
    *,
    sender: Party,
    recipient: Party,
    creator: str = "portalwerk",
    filing_location: str = "",
) -> Package:
    """The zip for `parcel`, its message validated against the xdomea schema (InvalidMessage
    if it is not: nothing invalid leaves this function)."""
    pid = process_id(parcel.idempotency_key)
    documents = _documents(parcel)
    created = _iso(parcel.submitted_at)

    root = etree.Element(f"{{{XDOMEA}}}{MESSAGE_TYPE}", nsmap={"xdomea": XDOMEA})
    head = _sub(root, "Kopf")
    _sub(head, "ProzessID", pid)
    _code(
        head,
        "Nachrichtentyp",
        "0605",
        list_uri="urn:xoev-de:xdomea:codeliste:nachrichtentyp",
        list_version="2.0",
    )
    _sub(head, "Erstellungszeitpunkt", _iso(timezone.now()))
    _party(head, "Absender", sender)
    _party(head, "Empfaenger", recipient)
    system = _sub(head, "SendendesSystem")
    _sub(system, "Produktname", "Portalwerk")
    if parcel.test:
        _sub(head, "Hinweis", "Test: kein Antrag einer Bürgerin oder eines Bürgers")
    # the portal takes no answers back through xdomea (the status endpoint carries them)
    _sub(head, "Empfangsbestaetigung", "0")
    _sub(head, "Importbestaetigung", "1")  # fixed by the schema
    _sub(head, "Erstellerkennung", creator)
    _sub(head, "Stapel", "0")

    item = _sub(root, "SchriftgutobjektZumAblegen")
    _sub(item, "FachverfahrenObjektID", parcel.reference)
    case = _sub(_sub(item, "Schriftgutobjekt"), "Vorgang")
    _sub(_sub(case, "Identifikation"), "ID", _id(parcel.idempotency_key, "case"))
    metadata = _sub(case, "AllgemeineMetadaten")
    _sub(metadata, "Betreff", f"{parcel.form_title} ({parcel.reference})")
    _sub(metadata, "Kennzeichen", parcel.reference)
    _sub(case, "Typ", parcel.form_title)
    for number, document in enumerate(documents, start=1):
        _document(case, document, number, parcel, created)
    if filing_location:
        _sub(item, "Ablageort", filing_location)

    message = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    validate(message)
    return Package(
        process_id=pid,
        file_name=f"{pid}_{MESSAGE_TYPE}.zip",
        content=_zip(pid, message, documents, parcel.submitted_at),
        message=message,
    )


def _zip(pid: str, message: bytes, documents: list[_Document], moment) -> bytes:
    # fixed entry times: every attempt of one delivery packs the same bytes (bar the head's
    # creation time)
    stamp = timezone.localtime(moment, datetime.UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in [(f"{pid}_{MESSAGE_TYPE}.xml", message)] + [
            (document.file_name, document.content) for document in documents
        ]:
            info = zipfile.ZipInfo(name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def validate(message: bytes) -> None:
    """Raise InvalidMessage unless `message` is valid xdomea 3.0.0."""
    xml_schema = schema()
    try:
        document = etree.fromstring(message)
    except etree.XMLSyntaxError as error:
        raise InvalidMessage(str(error)) from error
    if not xml_schema.validate(document):
        # libxml2 quotes the offending value, which may be a citizen's text: left out
        errors = "; ".join(
            f"line {entry.line}: {_QUOTED_VALUE.sub('(…)', entry.message)}"
            for entry in list(xml_schema.error_log)[:3]
        )
        raise InvalidMessage(errors)
