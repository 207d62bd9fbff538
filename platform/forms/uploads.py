"""Upload handling: type sniffed from the content, safe names, private storage, clamd hook."""

from __future__ import annotations

import hashlib
import re
import socket
import struct
import unicodedata
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection

# The few types forms accept, told apart by their first bytes (the name and the browser's
# content type are never trusted).
MAGIC = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
]
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpeg": "jpg"}


class ScanFailed(Exception):
    pass


def sniff(head: bytes) -> str | None:
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    return None


def safe_name(name: str, kind: str) -> str:
    """A display name without paths, control characters or odd punctuation, with the extension
    that matches the sniffed content."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").split("/")[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"[^\w\- ]+", "_", stem, flags=re.UNICODE).strip(" ._") or "file"
    return f"{stem[:80]}.{EXTENSIONS[kind]}"


def storage() -> FileSystemStorage:
    """Files of the active tenant, under MEDIA_ROOT/<schema>/uploads, with no base URL."""
    root = Path(settings.MEDIA_ROOT) / connection.schema_name / "uploads"
    return FileSystemStorage(location=root, base_url=None)


def new_stored_name() -> str:
    return uuid.uuid4().hex


def digest(chunks) -> str:
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(chunk)
    return h.hexdigest()


def clamd_configured() -> bool:
    return bool(settings.PORTALWERK_CLAMD_SOCKET or settings.PORTALWERK_CLAMD_HOST)


def scan_with_clamd(chunks) -> bool:
    """True when clamd finds nothing. Uses clamd's INSTREAM command; raises ScanFailed when clamd
    cannot be reached (the upload is then refused rather than accepted unscanned)."""
    try:
        if settings.PORTALWERK_CLAMD_SOCKET:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(settings.PORTALWERK_CLAMD_SOCKET)
        else:
            host, _, port = settings.PORTALWERK_CLAMD_HOST.rpartition(":")
            sock = socket.create_connection((host, int(port)), timeout=30)
        with sock:
            sock.settimeout(30)
            sock.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
    except OSError as exc:
        raise ScanFailed(str(exc)) from exc
    text = reply.rstrip(b"\0").decode(errors="replace")
    if text.endswith("OK"):
        return True
    if text.endswith("FOUND"):
        return False
    raise ScanFailed(text)
