"""The malware-scan hook speaks clamd's INSTREAM protocol when a clamd socket is configured.

clamd itself is not installed here; a small server speaking its protocol stands in for it (it
answers FOUND for the EICAR test string, OK otherwise)."""

import socket
import struct
import threading

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import anonymous
from portalwerk.platform.forms import services
from portalwerk.platform.forms.models import Upload
from tests.helpers.forms import PNG, png

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture
def clamd(tmp_path, settings):
    path = str(tmp_path / "clamd.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(4)
    commands = []

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                data = b""
                while not data.endswith(b"\0") or len(data) < 10:
                    data += conn.recv(10)
                commands.append(data[:10])
                payload = b""
                while True:
                    size = struct.unpack("!L", _read(conn, 4))[0]
                    if size == 0:
                        break
                    payload += _read(conn, size)
                found = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in payload
                conn.sendall(b"stream: Eicar-Signature FOUND\0" if found else b"stream: OK\0")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    settings.PORTALWERK_CLAMD_SOCKET = path
    yield commands
    server.close()


def _read(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            raise ConnectionError
        buf += chunk
    return buf


def test_infected_uploads_are_refused_and_clean_ones_marked(clamd, published_form, tenant_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with schema_context(tenant_a.schema_name):
        draft = services.start_draft(actor=anonymous(), form=published_form)
        infected = SimpleUploadedFile("virus.png", PNG + EICAR)
        with pytest.raises(ValidationError) as caught:
            services.store_upload(actor=anonymous(), draft=draft, field_key="photo", file=infected)
        assert caught.value.error_dict["photo"][0].code == "file_infected"
        assert not Upload.objects.exists()
        clean = services.store_upload(actor=anonymous(), draft=draft, field_key="photo", file=png())
        assert clean.scan_status == "clean"
    assert clamd == [b"zINSTREAM\0", b"zINSTREAM\0"]


def test_an_unreachable_clamd_refuses_the_upload_rather_than_skip_the_scan(
    published_form, tenant_a, settings, tmp_path
):
    settings.PORTALWERK_CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    with schema_context(tenant_a.schema_name):
        draft = services.start_draft(actor=anonymous(), form=published_form)
        with pytest.raises(ValidationError) as caught:
            services.store_upload(actor=anonymous(), draft=draft, field_key="photo", file=png())
        assert caught.value.error_dict["photo"][0].code == "scan_unavailable"
        assert not Upload.objects.exists()
