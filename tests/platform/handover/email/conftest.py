"""A real SMTP server (aiosmtpd) on loopback standing in for the office's mail server, and a
fishing-licence form whose applications go to an office mailbox."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django_tenants.utils import schema_context

from tests.helpers import fishing


class OfficeMailServer:
    """What it accepted, by recipient; `refuse` maps an address to the SMTP answer its RCPT
    gets ("550 …" for good, "451 …" for now)."""

    def __init__(self):
        self.messages: list[tuple[list[str], Message]] = []
        self.refuse: dict[str, str] = {}
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        answer = self.refuse.get(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self._lock:
            self.messages.append(
                (
                    list(envelope.rcpt_tos),
                    email.message_from_bytes(envelope.content, policy=email.policy.default),
                )
            )
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        with self._lock:
            return [message for rcpts, message in self.messages if address in rcpts]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def office_smtp(settings):
    """Django sends through the real SMTP server instead of the in-memory outbox."""
    inbox = OfficeMailServer()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    inbox.controller = controller
    yield inbox
    try:
        controller.stop()
    except AssertionError:
        pass  # a test stopped it (a mail server that is down)


@pytest.fixture
def fishing_form(tenant_a, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with schema_context(tenant_a.schema_name):
        return fishing.publish(clerk)
