"""Mail to one person, composed in their language: one way for every app.

Texts are given as functions (or a template) so that they are translated inside the recipient's
language, not the language of whoever caused the mail. Mail is sent from jobs only: the job is
deferred in the transaction of the write that caused it (`defer_for_tenant`), so a mail goes out
exactly when that write committed, and a failed send is retried by the queue."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

Text = str | Callable[[], str]


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes | str | Callable[[], bytes | str]
    mimetype: str


def _text(value: Text) -> str:
    return value() if callable(value) else str(value)


def compose(
    *,
    to: str,
    language: str | None,
    subject: Text,
    body: Text = "",
    template: str | None = None,
    context: Mapping[str, Any] | None = None,
    attachments: Iterable[Attachment] = (),
) -> EmailMessage:
    """The message, its subject and body (`body`, or `template` rendered with `context`) and
    attachments produced in `language` (the site's default language when empty)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject_text = _text(subject)
        body_text = render_to_string(template, dict(context or {})) if template else _text(body)
        message = EmailMessage(subject_text, body_text, None, [to])
        for attachment in attachments:
            content = attachment.content
            message.attach(
                attachment.name, content() if callable(content) else content, attachment.mimetype
            )
    return message


def send(**kwargs: Any) -> str:
    """Compose (see `compose`) and send; returns the address, as the mail jobs report it."""
    message = compose(**kwargs)
    message.send()
    return kwargs["to"]
