"""Mail to one person, composed in their language: one way for every app.

Texts are given as functions (or a template) so that they are translated inside the recipient's
language, not the language of whoever caused the mail. Mail is sent from jobs only: the job is
deferred in the transaction of the write that caused it (`defer_for_tenant`), so a mail goes out
exactly when that write committed, and a failed send is retried by the queue.

A retried job does not send its mail twice: `send` records each mail under an idempotency key
(the caller's, or the running job's id) in the same transaction that sends it, and skips a key
that is recorded already (docs/decisions/0014-mail-sent-once.md). Every mail names its sender,
the tenant's authority ("Stadt Musterstadt – Serviceportal"), in From and in the subject.

Plain-text templates (`.txt`) are rendered without HTML escaping; an `html_template` is rendered
with it and sent as the HTML alternative of the plain text. Limits on mails a client can cause
are in `portalwerk.platform.mail.limits`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

Text = str | Callable[[], str]

#: how long a sent mail's key is kept: far longer than any retry of the job that sent it
RETENTION_DAYS = 30
PRUNE_BATCH = 200


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes | str | Callable[[], bytes | str]
    mimetype: str


def _text(value: Text) -> str:
    return value() if callable(value) else str(value)


def _tenant():
    from portalwerk.tenants.current import current_tenant_or_none

    return current_tenant_or_none()


def authority(tenant=None) -> str:
    """Who writes: the tenant's name ("Stadt Musterstadt"), or the platform's outside a tenant."""
    tenant = tenant if tenant is not None else _tenant()
    return tenant.name if tenant is not None else "Portalwerk"


def sender(tenant=None) -> str:
    """The From header, in the active language: `"Stadt Musterstadt – Serviceportal" <address>`.
    The address is the tenant's own sender address when the operator set one (its domain must
    let the installation's mail server send), else the installation's (`PORTALWERK_MAIL_FROM`)."""
    tenant = tenant if tenant is not None else _tenant()
    address = (getattr(tenant, "mail_from", "") or "").strip() or settings.DEFAULT_FROM_EMAIL
    if tenant is None or tenant.is_platform:
        name = authority(tenant)
    else:
        name = _("%(authority)s – Service portal") % {"authority": tenant.name}
    # Quoted (a tenant name may hold commas or dots); Django encodes non-ASCII names (RFC 2047).
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{address}>'


def subject_line(subject: str, tenant=None) -> str:
    """`subject` followed by the authority ("Antrag fortsetzen: Hundesteuer – Stadt Musterstadt"),
    unless it names the authority already."""
    name = authority(tenant)
    subject = " ".join(subject.split())  # no line breaks in a header
    return subject if name in subject else f"{subject} – {name}"


def _render_text(template: str, context: Mapping[str, Any]) -> str:
    """A plain-text template: rendered with autoescape off, whatever the template says, so that
    "Citizens' office" does not arrive as "Citizens&#x27; office"."""
    compiled = get_template(template).template
    return compiled.render(Context(dict(context), autoescape=False))


def compose(
    *,
    to: str,
    language: str | None,
    subject: Text,
    body: Text = "",
    template: str | None = None,
    context: Mapping[str, Any] | None = None,
    attachments: Iterable[Attachment] = (),
    html_template: str | None = None,
    reply_to: Iterable[str] = (),
    idempotency_key: str | None = None,
) -> EmailMultiAlternatives:
    """The message, its subject and body (`body`, or `template` rendered with `context`, plain
    text) and attachments produced in `language` (the site's default language when empty). With
    `html_template` (rendered with the same context, escaped as any HTML) the message carries an
    HTML alternative. Sender and subject name the tenant's authority (`sender`, `subject_line`).
    `idempotency_key` (see `send`) also gives the message a stable Message-ID."""
    tenant = _tenant()
    with translation.override(language or settings.LANGUAGE_CODE):
        subject_text = subject_line(_text(subject), tenant)
        data = dict(context or {})
        body_text = _render_text(template, data) if template else _text(body)
        message = EmailMultiAlternatives(
            subject_text, body_text, sender(tenant), [to], reply_to=list(reply_to) or None
        )
        if html_template:
            message.attach_alternative(render_to_string(html_template, data), "text/html")
        for attachment in attachments:
            content = attachment.content
            message.attach(
                attachment.name, content() if callable(content) else content, attachment.mimetype
            )
    if idempotency_key:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "portalwerk"
        message.extra_headers["Message-ID"] = f"<{idempotency_key[:40]}@{domain}>"
    return message


def _stored_key(idempotency_key: str | None, to: str) -> str | None:
    """The recorded form of a send's key: the caller's key, else the running job's id; hashed
    together with the recipient, so a job mailing two people records two sends, and no address
    is stored. None outside a job without a key: such a send is not recorded."""
    if not idempotency_key:
        from portalwerk.platform.jobs import current_job_id

        job = current_job_id()
        if job is None:
            return None
        idempotency_key = f"job:{job}"
    raw = f"{connection.schema_name}\0{idempotency_key}\0{to.strip().lower()}"
    return hashlib.sha256(raw.encode()).hexdigest()


def send(*, idempotency_key: str | None = None, **kwargs: Any) -> str:
    """Compose (see `compose`) and send once per idempotency key; returns the address, as the
    mail jobs report it (also when the mail had been sent before and is skipped).

    `idempotency_key` names one logical message ("submission-receipt:42"); without it, a send in
    a job is keyed by the job's id, which a retry keeps. The key is recorded in the transaction
    that sends: a concurrent send of the same key waits for it and then skips, a failed send
    leaves no record (the retry sends), and only a crash between the mail server's acceptance
    and the commit can make a retry send again: at least once, never lost."""
    to = kwargs["to"]
    key = _stored_key(idempotency_key, to)
    if key is None:
        compose(**kwargs).send()
        return to
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO mail_sentmail (key, sent_at) VALUES (%s, now()) "
                "ON CONFLICT (key) DO NOTHING RETURNING id",
                [key],
            )
            if cursor.fetchone() is None:
                return to  # sent before, by an earlier try of this job or another worker
            _prune(cursor)
        compose(idempotency_key=key, **kwargs).send()
    return to


def _prune(cursor) -> None:
    cursor.execute(
        """
        DELETE FROM mail_sentmail WHERE id IN (
            SELECT id FROM mail_sentmail WHERE sent_at < now() - make_interval(days => %s)
            LIMIT %s FOR UPDATE SKIP LOCKED
        )
        """,
        [RETENTION_DAYS, PRUNE_BATCH],
    )


def was_sent(idempotency_key: str, *, to: str) -> bool:
    """Whether the mail with this key went to `to` (for jobs that do more than mail)."""
    from portalwerk.platform.mail.models import SentMail

    return SentMail.objects.filter(key=_stored_key(idempotency_key, to)).exists()
