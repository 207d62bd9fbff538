"""The settings of one webhook target, as a tenant admin gives them."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.handover.models import new_secret
from portalwerk.platform.plugins import addresses

FILES_LINKS = "links"
FILES_INLINE = "inline"
MIN_TIMEOUT_SECONDS = 1
MAX_TIMEOUT_SECONDS = 60
DEFAULT_TIMEOUT_SECONDS = 10


def is_loopback(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class WebhookConfigForm(forms.Form):
    url = forms.URLField(
        label=_("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where each application is sent; it must start with https://."),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "The receiver checks each request's signature with it. Leave it empty to have "
            "one made for you."
        ),
    )
    files = forms.ChoiceField(
        label=_("Files"),
        choices=[
            (FILES_LINKS, _("as download links (signed, expiring)")),
            (FILES_INLINE, _("inside the request (base64)")),
        ],
        initial=FILES_LINKS,
    )
    timeout_seconds = forms.IntegerField(
        label=_("Time limit in seconds"),
        min_value=MIN_TIMEOUT_SECONDS,
        max_value=MAX_TIMEOUT_SECONDS,
        initial=DEFAULT_TIMEOUT_SECONDS,
        help_text=_("How long to wait for the receiver's answer before trying again later."),
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        parts = urlsplit(url)
        # plain http only where nothing leaves the machine (a receiver beside the portal)
        if parts.scheme != "https" and not is_loopback(parts.hostname or ""):
            raise ValidationError(
                _("The address must start with https:// so that applications travel encrypted."),
                code="https_required",
            )
        refused = addresses.refusal(url)
        if refused:
            raise ValidationError(refused, code="local_address")
        return url

    def clean_secret(self) -> str:
        return self.cleaned_data["secret"] or new_secret()
