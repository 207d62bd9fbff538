"""Shapes of the values that identify a tenant. Messages are what an operator sees."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portalwerk.tenants.errors import TenantErrorCode

# A DNS label: the slug becomes `<slug>.<base domain>` and, with dashes as underscores, a schema.
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$")
HOST_RE = re.compile(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
)
RESERVED_SLUGS = {"www", "admin", "api", "static", "media", "public", "template", "platform"}


def validate_slug(value: str) -> None:
    if not SLUG_RE.match(value or ""):
        raise ValidationError(
            _(
                "%(value)r is not a valid host label: use 1 to 48 lower-case letters, digits or "
                "dashes, starting and ending with a letter or digit."
            ),
            code=TenantErrorCode.INVALID_SLUG,
            params={"value": value},
        )
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("%(value)r is reserved for the platform."),
            code=TenantErrorCode.INVALID_SLUG,
            params={"value": value},
        )


def validate_domain(value: str) -> None:
    if not HOST_RE.match(value or "") or "." not in value:
        raise ValidationError(
            _("%(value)r is not a valid host name (for example portal.musterstadt.de)."),
            code=TenantErrorCode.INVALID_DOMAIN,
            params={"value": value},
        )


def validate_official_key(value: str) -> None:
    """Municipality key (AGS, 8 digits) or regional key (ARS, 12 digits), German states 01-16."""
    if not value.isdigit() or len(value) not in (8, 12):
        raise ValidationError(
            _(
                "The official key must be the municipality key (AGS, 8 digits) or the regional "
                "key (ARS, 12 digits); %(value)r is neither."
            ),
            code=TenantErrorCode.INVALID_OFFICIAL_KEY,
            params={"value": value},
        )
    if not 1 <= int(value[:2]) <= 16:
        raise ValidationError(
            _("An official key starts with a state code from 01 to 16; %(value)r does not."),
            code=TenantErrorCode.INVALID_OFFICIAL_KEY,
            params={"value": value},
        )


def validate_module_names(modules) -> None:
    """Every name is one of the modules; all unknown ones are named at once."""
    from portalwerk.tenants.models import Module

    unknown = [str(m) for m in modules if str(m) not in Module.values]
    if unknown:
        raise ValidationError(
            [
                ValidationError(
                    _("Unknown module %(module)r; known are: %(known)s.")
                    % {"module": module, "known": ", ".join(Module.values)},
                    code=TenantErrorCode.INVALID_MODULE,
                )
                for module in unknown
            ]
        )


def district_part(key: str) -> str:
    """The first five digits (state, administrative region, district) of an AGS or ARS."""
    return key[:5]
