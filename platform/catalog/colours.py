"""WCAG 2.1 contrast for tenant branding: the primary colour carries white text (header) and is
the colour of links and buttons on white, so its contrast against white must reach AA (4.5:1).

It is also the colour of secondary buttons, next to the primary button's fixed green: the two
must stay distinguishable (a dark green brand made "Save for later" look like "Continue"), so a
brand colour too close to that green (CIE76 colour difference below 30) is refused as well."""

from __future__ import annotations

import math
import re

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.library.errors import CatalogErrorCode

HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
AA_NORMAL_TEXT = 4.5
WHITE = "#ffffff"
PRIMARY_BUTTON = "#00703c"  # .button in portal.css
MIN_BUTTON_DIFFERENCE = 30.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB hex colour."""
    r, g, b = (_channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def colour_difference(a: str, b: str) -> float:
    """CIE76 delta E: about 2 is just noticeable, above 30 reads as another colour."""
    return math.dist(_lab(a), _lab(b))


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
    if colour_difference(value, PRIMARY_BUTTON) < MIN_BUTTON_DIFFERENCE:
        raise ValidationError(
            _(
                "The colour %(value)s is too close to the green of the main buttons: secondary "
                "buttons in your colour would look like them, and people could not tell which "
                "button continues. Choose a colour of another hue, such as a blue or a red."
            ),
            code=CatalogErrorCode.COLOURS_ALIKE,
            params={"value": value},
        )
