"""Hand-over to an office mailbox: one plain-text mail per address with the labelled answers,
the receipt PDF and the uploads attached, or, above the target's size limit, listed as signed
download links (`handover.downloads`).

Sent through `portalwerk.platform.mail.send`, which records each mail under its idempotency key
(here the delivery's key and the address) in the transaction that hands it to SMTP and gives it a
Message-ID derived from that key: a retry after the mail server accepted a mail does not send
it again (docs/handover/email.md says what "once" means for SMTP). Office mail is not counted
against the limits of mail a citizen can cause: no citizen chooses its address."""

from __future__ import annotations

import datetime
import mimetypes
import smtplib
import socket
from collections.abc import Mapping

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portalwerk.platform import mail
from portalwerk.platform.handover import downloads
from portalwerk.platform.handover.backends import (
    Delivered,
    DeliveryError,
    HandoverBackend,
    Problem,
)
from portalwerk.platform.handover.contrib.email import text
from portalwerk.platform.handover.parcel import Parcel, ParcelFile
from portalwerk.platform.handover.registry import backends

MAX_ADDRESSES = 5
MB = 1_000_000
#: what a target may attach at most: beyond it many mail servers refuse (25 MB is common),
#: and base64 makes a mail a third larger than its files
MAX_ATTACHMENT_MB = 20


class AddressesField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3, "autocomplete": "off"})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        if isinstance(value, list):
            value = "\n".join(value)
        words = (super().to_python(value) or "").replace(",", "\n").replace(";", "\n").split()
        addresses = []
        for word in words:
            try:
                validate_email(word)
            except ValidationError:
                raise ValidationError(
                    _("“%(address)s” is not an email address."),
                    code="invalid",
                    params={"address": word[:100]},
                ) from None
            if word.lower() not in (a.lower() for a in addresses):
                addresses.append(word)
        if len(addresses) > MAX_ADDRESSES:
            raise ValidationError(
                _("At most %(count)d addresses."), code="too_many", params={"count": MAX_ADDRESSES}
            )
        return addresses


class EmailTargetForm(forms.Form):
    addresses = AddressesField(
        label=gettext_lazy("Office addresses"),
        help_text=gettext_lazy("One or more addresses, one per line. Each gets its own mail."),
    )
    max_attachment_mb = forms.IntegerField(
        label=gettext_lazy("Attach files up to (MB in total)"),
        min_value=0,
        max_value=MAX_ATTACHMENT_MB,
        initial=10,
        help_text=gettext_lazy(
            "Larger applications list their files as download links instead (0: always links)."
        ),
    )


def _files(parcel: Parcel) -> list[ParcelFile]:
    return ([parcel.receipt] if parcel.receipt else []) + list(parcel.files)


def _file_id(file: ParcelFile) -> str:
    return file.upload_id or downloads.RECEIPT


def _mimetype(file: ParcelFile) -> str:
    return mimetypes.types_map.get(f".{file.kind}", "application/octet-stream")


def _smtp_error(error: Exception) -> DeliveryError:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        detail = "SMTP recipient refused: " + ", ".join(str(c) for c in codes)
        if codes and all(400 <= code < 500 for code in codes):
            return DeliveryError(Problem.RECEIVER_ERROR, detail, retry=True)
        return DeliveryError(Problem.REFUSED, detail, retry=False)
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return DeliveryError(Problem.UNAUTHORISED, f"SMTP {error.smtp_code}", retry=True)
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return DeliveryError(Problem.UNREACHABLE, type(error).__name__)
    if isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
        if code == 552:
            return DeliveryError(Problem.TOO_LARGE, f"SMTP {code}", retry=False)
        # our own sender refused is the installation's mail set-up: retried while it is fixed
        if 500 <= code < 600 and not isinstance(error, smtplib.SMTPSenderRefused):
            return DeliveryError(Problem.REFUSED, f"SMTP {code}", retry=False)
        return DeliveryError(Problem.RECEIVER_ERROR, f"SMTP {code}", retry=True)
    if isinstance(error, TimeoutError | socket.timeout):
        return DeliveryError(Problem.TIMEOUT, "SMTP: no answer in time")
    if isinstance(error, OSError):
        return DeliveryError(Problem.UNREACHABLE, f"SMTP: {type(error).__name__}")
    return DeliveryError(Problem.RECEIVER_ERROR, f"SMTP: {type(error).__name__}")


@backends.register("email")
class EmailBackend(HandoverBackend):
    label = gettext_lazy("Office mailbox (email)")
    config_form = EmailTargetForm

    def check_target(self, config: Mapping) -> list[str]:
        form = EmailTargetForm(data=config)
        if form.is_valid():
            return []
        return [str(message) for messages in form.errors.values() for message in messages]

    def deliver(self, parcel: Parcel, config: Mapping) -> Delivered:
        addresses = list(config.get("addresses") or [])
        if not addresses:
            raise DeliveryError(Problem.CONFIGURATION, "no address", retry=False)
        limit = min(int(config.get("max_attachment_mb", 10)), MAX_ATTACHMENT_MB) * MB
        files = _files(parcel)
        attach = sum(f.size for f in files) <= limit
        links = (
            None
            if attach
            else {
                _file_id(f): downloads.link_for(parcel.idempotency_key, _file_id(f)) for f in files
            }
        )
        expires = timezone.now() + datetime.timedelta(seconds=downloads.LIFETIME_SECONDS)
        language = settings.LANGUAGE_CODE  # the office's language, whatever the citizen's was
        with translation.override(language):
            subject = text.subject(parcel)
            body = text.body(parcel, links=links, expires=expires)
        attachments = [mail.Attachment(f.name, f.read, _mimetype(f)) for f in files if attach]
        for address in addresses:
            try:
                mail.send(
                    idempotency_key=f"handover:{parcel.idempotency_key}",
                    to=address,
                    language=language,
                    subject=subject,
                    body=body,
                    attachments=attachments,
                )
            except (smtplib.SMTPException, OSError) as error:
                raise _smtp_error(error) from None
        return Delivered(receiver_reference=", ".join(addresses))
