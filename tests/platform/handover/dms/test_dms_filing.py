"""The `dms` backend files a submission as an xdomea 3.0.0 message on a real WebDAV share and in
a folder: what the DMS finds there, that a repeat leaves one file, and the errors it reports."""

from __future__ import annotations

import uuid

import pytest
from django.utils import translation
from lxml import etree

from portalwerk.platform.handover.backends import DeliveryError, Problem
from portalwerk.platform.handover.registry import backends
from tests.helpers.dms import (
    JPEG,
    PDF,
    PNG,
    XDOMEA,
    dms_config,
    make_parcel,
    open_package,
)

SUBMISSION = {"s": "urn:portalwerk:handover:submission:1"}


def dms():
    return backends.get("dms")


def zips(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_submission_is_filed_on_the_share_as_a_valid_xdomea_message(share):
    url, folder = share
    parcel = make_parcel()

    delivered = dms().deliver(parcel, dms_config(url=url))

    (name,) = zips(folder)
    process_id = name.removesuffix("_FVDaten.SGOAblegen.0605.zip")
    assert str(uuid.UUID(process_id)) == process_id
    assert delivered.receiver_reference == url + name
    message, files = open_package(folder / name)
    head = message.find("x:Kopf", XDOMEA)
    assert head.findtext("x:ProzessID", namespaces=XDOMEA) == process_id
    assert head.findtext("x:Nachrichtentyp/code", namespaces=XDOMEA) == "0605"
    sender = head.find("x:Absender", XDOMEA)
    assert sender.findtext("x:Institution/x:Name", namespaces=XDOMEA) == "Stadt Alpha"
    assert (
        sender.findtext("x:Behoerdenkennung/x:Behoerdenschluessel/code", namespaces=XDOMEA)
        == "09189155"
    )
    assert sender.findtext("x:Behoerdenkennung/x:Praefix/code", namespaces=XDOMEA) == "ags"
    recipient = head.find("x:Empfaenger", XDOMEA)
    assert recipient.findtext("x:Institution/x:Name", namespaces=XDOMEA) == (
        "Landratsamt Musterkreis"
    )
    assert recipient.findtext("x:Organisationseinheit/x:Name", namespaces=XDOMEA) == (
        "Untere Fischereibehörde"
    )
    item = message.find("x:SchriftgutobjektZumAblegen", XDOMEA)
    assert item.findtext("x:FachverfahrenObjektID", namespaces=XDOMEA) == "FS-2026-00042"
    assert item.findtext("x:Ablageort", namespaces=XDOMEA) == "32.1 Fischereischeine"
    case = item.find("x:Schriftgutobjekt/x:Vorgang", XDOMEA)
    assert case.findtext("x:AllgemeineMetadaten/x:Kennzeichen", namespaces=XDOMEA) == (
        "FS-2026-00042"
    )
    documents = {
        document.findtext(
            "x:Version/x:Format/x:Primaerdokument/x:DateinameOriginal", namespaces=XDOMEA
        ): (
            document.findtext("x:Typ", namespaces=XDOMEA),
            document.findtext("x:Version/x:Format/x:Name/code", namespaces=XDOMEA),
            files[
                document.findtext(
                    "x:Version/x:Format/x:Primaerdokument/x:Dateiname", namespaces=XDOMEA
                )
            ],
        )
        for document in case.findall("x:Dokument", XDOMEA)
    }
    data = documents.pop("antragsdaten.xml")
    assert documents == {
        "FS-2026-00042.pdf": ("Antrag", "018", PDF),
        "Passbild.png": ("Anlage", "019", PNG),
        "Prüfung & Zeugnis.jpeg": ("Anlage", "010", JPEG),
    }
    assert data[:2] == ("Antragsdaten", "030")
    assert len(files) == 4  # the three files and the data, nothing else besides the message


def test_the_submission_data_inside_holds_every_answer_and_lists_the_files(share):
    url, folder = share

    dms().deliver(make_parcel(), dms_config(url=url))

    message, files = open_package(folder / zips(folder)[0])
    (data_name,) = [name for name in files if name.endswith("_antragsdaten.xml")]
    data = etree.fromstring(files[data_name])
    assert data.get("reference") == "FS-2026-00042"
    assert data.find("s:form", SUBMISSION).get("slug") == "fishing-licence"
    assert data.find("s:applicant", SUBMISSION).get("name") == "Jörg Weiß"
    assert [
        (a.get("key"), a.get("label"), a.text)
        for a in data.iterfind("s:answers/s:answer", SUBMISSION)
    ] == [
        ("person.first_name", "Vorname", "Jörg"),
        ("licence.duration", "Gültigkeit", "5 Jahre"),
    ]
    assert data.find("s:fee", SUBMISSION).get("payment-reference") == "KZ-77"
    listed = {f.get("name"): f.get("packed") for f in data.iterfind("s:files/s:file", SUBMISSION)}
    assert set(listed) == {"Passbild.png", "Prüfung & Zeugnis.jpeg"}
    assert files[listed["Passbild.png"]] == PNG


def test_a_repeat_delivery_leaves_one_file_on_the_share(share):
    url, folder = share
    parcel = make_parcel()

    first = dms().deliver(parcel, dms_config(url=url))
    second = dms().deliver(parcel, dms_config(url=url))

    assert zips(folder) == [first.receiver_reference.rsplit("/", 1)[1]]
    assert second.receiver_reference == first.receiver_reference
    open_package(folder / zips(folder)[0])


def test_two_deliveries_are_two_files(share):
    url, folder = share

    dms().deliver(make_parcel(), dms_config(url=url))
    dms().deliver(make_parcel(key="another-delivery"), dms_config(url=url))

    assert len(zips(folder)) == 2


def test_a_share_that_refuses_the_credentials_gives_unauthorised(share):
    url, folder = share

    with pytest.raises(DeliveryError) as refused:
        dms().deliver(make_parcel(), dms_config(url=url, password="wrong"))

    assert refused.value.problem == Problem.UNAUTHORISED
    assert not refused.value.retry
    assert not folder.exists()


def test_a_share_folder_whose_parent_is_missing_is_a_configuration_problem(share):
    url, _folder = share

    with pytest.raises(DeliveryError) as refused:
        dms().deliver(make_parcel(), dms_config(url=url + "missing/deeper/"))

    assert refused.value.problem == Problem.CONFIGURATION
    assert "409" in refused.value.detail


def test_a_share_that_does_not_answer_in_time_is_a_timeout_tried_again():
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # connections wait in the backlog; nobody ever answers
    try:
        with pytest.raises(DeliveryError) as late:
            dms().deliver(
                make_parcel(),
                dms_config(url=f"http://127.0.0.1:{silent.getsockname()[1]}/dav/", timeout=1),
            )
    finally:
        silent.close()

    assert late.value.problem == Problem.TIMEOUT
    assert late.value.retry


def test_a_share_nobody_listens_on_is_unreachable_and_tried_again():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(DeliveryError) as gone:
        dms().deliver(make_parcel(), dms_config(url=f"http://127.0.0.1:{port}/dav/"))

    assert gone.value.problem == Problem.UNREACHABLE
    assert gone.value.retry


def test_a_folder_target_writes_into_the_tenants_part_of_the_exchange_directory(settings, tmp_path):
    settings.PORTALWERK_HANDOVER_DMS_FOLDER_ROOT = tmp_path
    config = dms_config(destination="folder", url="", folder="fischerei/eingang")
    parcel = make_parcel()

    first = dms().deliver(parcel, config)
    dms().deliver(parcel, config)

    folder = tmp_path / "alpha" / "fischerei" / "eingang"
    assert zips(folder) == [first.receiver_reference.rsplit("/", 1)[1]]
    message, files = open_package(folder / zips(folder)[0])
    assert PDF in files.values() and PNG in files.values() and JPEG in files.values()


def test_check_target_says_nothing_for_a_writable_share_and_leaves_nothing_behind(share):
    url, folder = share

    assert dms().check_target(dms_config(url=url)) == []

    assert zips(folder) == []


def test_check_target_names_refused_credentials(share):
    url, _folder = share

    with translation.override("de"):
        problems = dms().check_target(dms_config(url=url, password="wrong"))

    assert problems == ["Die WebDAV-Freigabe hat Benutzername und Passwort nicht angenommen."]


def test_check_target_of_a_folder(settings, tmp_path):
    settings.PORTALWERK_HANDOVER_DMS_FOLDER_ROOT = tmp_path
    config = dms_config(destination="folder", folder="eingang")

    assert dms().check_target(config) == []
    assert list((tmp_path / "public" / "eingang").iterdir()) == []

    (tmp_path / "public" / "blocked").write_text("a file, not a folder")
    with translation.override("en"):
        problems = dms().check_target(dms_config(destination="folder", folder="blocked"))
    assert problems == ["The folder cannot be written to: check the address or folder name."]


@pytest.fixture
def answering():
    """A real HTTP server on loopback that answers every request with the status it is given."""
    import http.server
    import threading

    status = {"code": 500}

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(status["code"])
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PROPFIND = do_MKCOL = do_PUT = do_MOVE = do_DELETE = _answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def answer(code: int) -> str:
        status["code"] = code
        return f"http://127.0.0.1:{server.server_port}/dav/"

    yield answer
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("status", "problem", "retry"),
    [
        (401, Problem.UNAUTHORISED, False),
        (403, Problem.UNAUTHORISED, False),
        (413, Problem.TOO_LARGE, False),
        (507, Problem.TOO_LARGE, True),
        (500, Problem.RECEIVER_ERROR, True),
        (503, Problem.RECEIVER_ERROR, True),
        (400, Problem.REFUSED, False),
    ],
)
def test_what_the_share_answers_becomes_a_problem_a_clerk_can_read(
    answering, status, problem, retry
):
    with pytest.raises(DeliveryError) as failed:
        dms().deliver(make_parcel(), dms_config(url=answering(status)))

    assert (failed.value.problem, failed.value.retry) == (problem, retry)
    assert str(status) in failed.value.detail
