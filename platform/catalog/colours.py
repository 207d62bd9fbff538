"""WCAG 2.1 contrast for tenant branding: the primary colour carries white text (header) and is
the colour of links and buttons on white, so its contrast against white must reach AA (4.5:1)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.library.errors import CatalogErrorCode

HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
AA_NORMAL_TEXT = 4.5
WHITE = "#ffffff"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def validate_brand_colour(value: str) -> None:
    if not HEX_RE.match(value or ""):
        raise ValidationError(
            _("%(value)s is not a colour: write it as # and six hex digits, like #00548a."),
            code=CatalogErrorCode.INVALID_COLOUR,
            params={"value": value},
        )
    ratio = contrast_ratio(value, WHITE)
    if ratio < AA_NORMAL_TEXT:
        raise ValidationError(
            _(
                "The colour %(value)s has a contrast of only %(ratio)s:1 against the white text "
                "shown on it (and as a link colour on the white page). WCAG 2.1 AA requires at "
                "least 4.5:1 so that people with low vision can read it. Choose a darker colour."
            ),
            code=CatalogErrorCode.CONTRAST_TOO_LOW,
            # Rounded down (4.499 must not read 4.5), with the language's decimal mark.
            params={"value": value, "ratio": number_format(int(ratio * 100) / 100, 2)},
        )
