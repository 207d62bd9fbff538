"""The signed-in person's own account details: the postal address forms offer them (prefill
"address"). Each person changes only their own; every change is audited without the address."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portalwerk.platform.accounts.errors import AccountErrorCode
from portalwerk.platform.accounts.models import User
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor, user_of

POSTCODE_RE = re.compile(r"^[0-9]{5}$")
ADDRESS_FIELDS = ("street", "house_number", "postcode", "city")


def _max_length(name: str) -> int:
    return User._meta.get_field(name).max_length


def _required_messages() -> dict[str, str]:
    return {
        "street": _("Enter the street."),
        "house_number": _("Enter the house number."),
        "postcode": _("Enter the postcode."),
        "city": _("Enter the town or city."),
    }


def _cleaned_address(parts: dict[str, str | None]) -> dict[str, str]:
    """The four parts tidied (inner spaces collapsed), or a ValidationError naming every part
    that is wrong. All four empty clears the address; otherwise all four are needed."""
    cleaned = {name: " ".join(str(parts.get(name) or "").split()) for name in ADDRESS_FIELDS}
    if not any(cleaned.values()):
        return cleaned
    errors: dict[str, list[ValidationError]] = {}
    required = _required_messages()
    for name, text in cleaned.items():
        limit = _max_length(name)
        if not text:
            errors[name] = [ValidationError(required[name], code=AccountErrorCode.REQUIRED)]
        elif name == "postcode":
            if not POSTCODE_RE.match(text):
                errors[name] = [
                    ValidationError(
                        _("Enter a postcode of five digits, like 12345."),
                        code=AccountErrorCode.INVALID_POSTCODE,
                    )
                ]
        elif len(text) > limit:
            errors[name] = [
                ValidationError(
                    _("Use %(max)d characters or fewer."),
                    code=AccountErrorCode.TOO_LONG,
                    params={"max": limit},
                )
            ]
    if errors:
        raise ValidationError(errors)
    return cleaned


def change_postal_address(
    *,
    actor: Actor,
    user_id: int,
    street: str = "",
    house_number: str = "",
    postcode: str = "",
    city: str = "",
) -> User:
    """Set (or, with four empty parts, clear) the postal address of account `user_id`.

    Only the signed-in owner of the account may: anyone else, staff included, gets the same
    "not signed in" refusal as an anonymous caller, whether or not the account exists."""
    acting = user_of(actor)
    if acting is None or acting.pk != user_id or not acting.is_active:
        raise ValidationError(
            _("Please sign in to change your account."), code=AccountErrorCode.NOT_SIGNED_IN
        )
    cleaned = _cleaned_address(
        {"street": street, "house_number": house_number, "postcode": postcode, "city": city}
    )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        changed = [name for name in ADDRESS_FIELDS if getattr(user, name) != cleaned[name]]
        if changed:
            for name in changed:
                setattr(user, name, cleaned[name])
            user.save(update_fields=changed)
            # which parts changed, never their values: the address is personal data
            record(actor, Action.ACCOUNT_ADDRESS_CHANGED, user, parts=changed)
    return user
