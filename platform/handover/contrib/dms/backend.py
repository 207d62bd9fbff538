"""The `dms` backend: files each submission in a document management system as an xdomea 3.0.0
message `FVDaten.SGOAblegen.0605` (a case with the receipt, the uploads and the answers as XML),
written to a WebDAV share or to a folder the DMS watches. docs/handover/dms.md describes it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from django import forms
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from lxml import etree

from portalwerk.platform.handover.backends import (
    Delivered,
    DeliveryError,
    HandoverBackend,
    Problem,
)
from portalwerk.platform.handover.contrib.dms import message
from portalwerk.platform.handover.contrib.dms.destinations import Folder, WebDAV
from portalwerk.platform.handover.parcel import Parcel
from portalwerk.platform.handover.registry import backends
from portalwerk.platform.plugins import addresses

WEBDAV = "webdav"
FOLDER = "folder"
_FOLDER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*")


class DMSTargetForm(forms.Form):
    destination = forms.ChoiceField(
        label=_("Destination"),
        choices=[(WEBDAV, _("WebDAV share")), (FOLDER, _("Folder on the platform's server"))],
        initial=WEBDAV,
    )
    url = forms.URLField(
        label=_("WebDAV folder address"),
        required=False,
        assume_scheme="https",
        help_text=_("The folder the DMS takes new messages from, e.g. https://dms.example/inbox/"),
    )
    username = forms.CharField(label=_("WebDAV user name"), required=False, max_length=200)
    password = forms.CharField(
        label=_("WebDAV password"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
    )
    folder = forms.CharField(
        label=_("Folder name"),
        required=False,
        max_length=200,
        help_text=_(
            "A folder inside this portal's area of the DMS exchange directory the operator set up."
        ),
    )
    timeout = forms.IntegerField(
        label=_("Time limit in seconds"), min_value=1, max_value=300, initial=30
    )
    sender_name = forms.CharField(
        label=_("Sender: name of the authority"),
        required=False,
        max_length=200,
        help_text=_("Empty: the name of this portal's municipality."),
    )
    sender_prefix = forms.CharField(
        label=_("Sender: prefix of the authority code"),
        required=False,
        max_length=20,
        help_text=_('For example "ags" when the code is a municipality key.'),
    )
    sender_code = forms.CharField(label=_("Sender: authority code"), required=False, max_length=50)
    recipient_name = forms.CharField(label=_("Recipient: name of the authority"), max_length=200)
    recipient_unit = forms.CharField(
        label=_("Recipient: organisational unit"), required=False, max_length=200
    )
    recipient_prefix = forms.CharField(
        label=_("Recipient: prefix of the authority code"), required=False, max_length=20
    )
    recipient_code = forms.CharField(
        label=_("Recipient: authority code"), required=False, max_length=50
    )
    creator = forms.CharField(
        label=_("Creator id in the DMS"),
        initial="portalwerk",
        max_length=100,
        help_text=_("The account or id the DMS files the documents under."),
    )
    filing_location = forms.CharField(
        label=_("Filing location in the DMS"),
        required=False,
        max_length=500,
        help_text=_("Optional: where the DMS should file the case, e.g. a file plan code."),
    )

    def clean(self):
        data = super().clean()
        if data.get("destination") == WEBDAV:
            url = data.get("url", "")
            if not url:
                self.add_error("url", _("Enter the address of the WebDAV folder."))
            elif not url.startswith(("https://", "http://")):
                self.add_error("url", _("The address must start with https:// or http://."))
            elif addresses.refusal(url):
                self.add_error("url", addresses.refusal(url))
        elif data.get("destination") == FOLDER:
            name = data.get("folder", "").rstrip("/")
            if not _FOLDER_NAME.fullmatch(name) or ".." in name.split("/"):
                self.add_error(
                    "folder",
                    _("Use letters, digits, dots, hyphens and underscores, folders split by /."),
                )
            data["folder"] = name
        return data


def folder_root() -> Path:
    return Path(settings.PORTALWERK_HANDOVER_DMS_FOLDER_ROOT)


def _destination(config: Mapping, tenant_schema: str) -> WebDAV | Folder:
    timeout = config.get("timeout") or 30
    if config.get("destination") == FOLDER:
        # confined to the operator's exchange directory and to this tenant's part of it: a
        # tenant admin chooses a name, never a path on the server
        name = str(config.get("folder", ""))
        if not _FOLDER_NAME.fullmatch(name) or ".." in name.split("/"):
            raise DeliveryError(Problem.CONFIGURATION, "folder name not allowed", retry=False)
        return Folder(folder_root() / tenant_schema / name)
    if config.get("destination") == WEBDAV and config.get("url"):
        if addresses.refusal(config["url"]):
            raise DeliveryError(Problem.CONFIGURATION, "address not allowed", retry=False)
        return WebDAV(
            config["url"],
            username=config.get("username", ""),
            password=config.get("password", ""),
            timeout=timeout,
        )
    raise DeliveryError(Problem.CONFIGURATION, "no destination set", retry=False)


def _parties(config: Mapping, tenant_name: str) -> tuple[message.Party, message.Party]:
    sender = message.Party(
        name=config.get("sender_name") or tenant_name,
        code=config.get("sender_code", ""),
        prefix=config.get("sender_prefix", ""),
    )
    recipient = message.Party(
        name=config.get("recipient_name", ""),
        code=config.get("recipient_code", ""),
        prefix=config.get("recipient_prefix", ""),
        unit=config.get("recipient_unit", ""),
    )
    return sender, recipient


@backends.register("dms")
class DMSBackend(HandoverBackend):
    label = _("Document management system (xdomea)")
    config_form = DMSTargetForm
    secret_fields = ("password",)

    def check_config(self) -> list[str]:
        try:
            message.schema()  # the copied XSDs are there and compile
        except (OSError, etree.LxmlError) as error:
            return [f"The xdomea schemas cannot be loaded ({type(error).__name__}): {error}"]
        return []

    def deliver(self, parcel: Parcel, config: Mapping) -> Delivered:
        sender, recipient = _parties(config, parcel.tenant_name)
        try:
            package = message.build(
                parcel,
                sender=sender,
                recipient=recipient,
                creator=config.get("creator") or "portalwerk",
                filing_location=config.get("filing_location", ""),
            )
        except message.InvalidMessage as error:
            # never sent: the DMS would reject it, and trying again builds the same message
            raise DeliveryError(Problem.INVALID, f"xdomea: {error}", retry=False) from error
        where = _destination(config, parcel.tenant_schema).write(package.file_name, package.content)
        return Delivered(receiver_reference=where)

    def check_target(self, config: Mapping) -> list[str]:
        try:
            _destination(config, connection.schema_name).check()
        except DeliveryError as error:
            return [_CHECK_MESSAGES.get(error.problem, _CHECK_MESSAGES[None])()]
        return []


_CHECK_MESSAGES = {
    Problem.UNAUTHORISED: lambda: gettext(
        "The WebDAV share did not accept the user name and password."
    ),
    Problem.UNREACHABLE: lambda: gettext("The WebDAV share could not be reached."),
    Problem.TIMEOUT: lambda: gettext("The WebDAV share did not answer in time."),
    Problem.CONFIGURATION: lambda: gettext(
        "The folder cannot be written to: check the address or folder name."
    ),
    Problem.TOO_LARGE: lambda: gettext("The share or folder has no space left."),
    None: lambda: gettext("The share or folder could not be written to."),
}
