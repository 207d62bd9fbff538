"""Shapes of catalogue values. Messages are what a clerk sees next to the field."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.library.errors import CatalogErrorCode

LEIKA_RE = re.compile(r"^99\d{12}$")


def validate_leika_key(value: str) -> None:
    """The LeiKa service key: 14 digits, starting with 99 (for example 99050012104000)."""
    if not value:
        return
    if not LEIKA_RE.match(value):
        raise ValidationError(
            _(
                "%(value)s is not a LeiKa key: a LeiKa key has 14 digits and starts with 99 "
                "(for example 99050012104000)."
            ),
            code=CatalogErrorCode.INVALID_LEIKA_KEY,
            params={"value": value},
        )


def validate_link(value: str) -> None:
    """A link to a form or booking page: a path on this portal (/…) or an https:// address."""
    if not value:
        return
    if value.startswith("/") and not value.startswith("//"):
        return
    if re.match(r"^https://[^\s/]+\.[^\s]+$", value):
        return
    raise ValidationError(
        _("Enter a path on this portal (starting with /) or an address starting with https://."),
        code=CatalogErrorCode.INVALID_LINK,
    )
