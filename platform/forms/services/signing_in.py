"""The sign-in a form needs, checked by every write on a draft, and what a submission records of
the sign-in it was made with.

The channels read the session's sign-in (`assurance.current(request.session)`) and pass it to
the services as `signed_in_with`, as they pass the actor; a write from a sign-in below the form's
requirement (`engine.signin`) is refused with `sign_in_too_weak` or `account_kind_required`
before anything is written. The refusal's params name what would do (`level`, `kind`), so a
page can offer a sign-in that strong."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portalwerk.platform.accounts.identity.assurance import (
    AccountKind,
    Level,
    SignedInWith,
)
from portalwerk.platform.error_codes import code_error
from portalwerk.platform.forms.engine.signin import SignInRequirement
from portalwerk.platform.forms.engine.specs import ADDRESS_PARTS, FieldError, _no_uploads
from portalwerk.platform.forms.errors import FormErrorCode as Code
from portalwerk.platform.forms.identity import level_words

NOBODY = SignedInWith()


def requirement_text(need: SignInRequirement) -> str:
    """What a form needs, in one sentence ("" when it needs nothing)."""
    level = level_words(need.level)
    strong = need.level != Level.NONE.value
    if need.account == AccountKind.BUSINESS:
        if strong:
            return _(
                "For this application you need a business account with the level of "
                "assurance %(level)s."
            ) % {"level": level}
        return _("For this application you need a business account.")
    if need.account == AccountKind.PERSON:
        if strong:
            return _(
                "For this application you need a personal service account with the level of "
                "assurance %(level)s."
            ) % {"level": level}
        return _("For this application you need a personal service account.")
    if strong:
        return _(
            "For this application you need a service account with the level of assurance %(level)s."
        ) % {"level": level}
    return ""


def refusal(need: SignInRequirement, signed_in_with: SignedInWith) -> ValidationError | None:
    """The error a write from this sign-in gets, or None when the sign-in is enough."""
    if need.met_by(signed_in_with):
        return None
    said = [requirement_text(need)]
    # level "none" is a portal account or no sign-in at all: no kind of state account either
    no_state_account = signed_in_with.level == Level.NONE
    if no_state_account:
        said.append(_("You are not signed in with a service account."))
    elif not need.level_met(signed_in_with):
        said.append(
            _("You are signed in with the level of assurance %(level)s.")
            % {"level": level_words(signed_in_with.level)}
        )
    if not need.kind_met(signed_in_with) and not no_state_account:
        if signed_in_with.kind == AccountKind.BUSINESS:
            said.append(_("You are signed in with a business account."))
        else:
            said.append(_("You are signed in with a personal account."))
    said.append(_("The office has to be sure who is applying. Nothing has been saved or sent."))
    level_met = need.level_met(signed_in_with)
    return code_error(
        Code.ACCOUNT_KIND_REQUIRED if level_met else Code.SIGN_IN_TOO_WEAK,
        " ".join(said),
        level=need.level,
        kind=need.account,
    )


def check_sign_in(spec, signed_in_with: SignedInWith | None) -> None:
    error = refusal(spec.sign_in, signed_in_with or NOBODY)
    if error is not None:
        raise error


def sign_in_refusal(exc: ValidationError) -> dict | None:
    """The params (`level`, `kind`) of a sign-in refusal among `exc`'s errors, or None: how a
    page tells this refusal from the others and knows which sign-in to offer."""
    errors = exc.error_dict.values() if hasattr(exc, "error_dict") else [exc.error_list]
    for group in errors:
        for error in group:
            if error.code in (Code.SIGN_IN_TOO_WEAK, Code.ACCOUNT_KIND_REQUIRED):
                return dict(error.params or {})
    return None


# -- verified attributes -----------------------------------------------------------------------


def verified_values(signed_in_with: SignedInWith | None) -> dict[str, Any]:
    """What a state account vouches for, by prefill source (engine.specs.PREFILL_SOURCES)."""
    attributes = (signed_in_with or NOBODY).attributes
    known: dict[str, Any] = {
        key: attributes[key]
        for key in ("first_name", "last_name", "birth_date")
        if attributes.get(key)
    }
    if attributes.get("first_name") and attributes.get("last_name"):
        known["name"] = f"{attributes['first_name']} {attributes['last_name']}"
    if all(attributes.get(part) for part in ADDRESS_PARTS):
        known["address"] = {part: attributes[part] for part in ADDRESS_PARTS}
    return known


def verified_keys(spec, answers: Mapping[str, Any], signed_in_with: SignedInWith | None) -> list:
    """The fields whose answer is still what the state account vouches for (each value cleaned
    as the field cleans answers, so "1980-05-17" and the stored date compare equal)."""
    known = verified_values(signed_in_with)
    found = []
    for key, spec_field in spec.fields_by_key.items():
        if not spec_field.prefill or spec_field.prefill not in known or key not in answers:
            continue
        errors: list[FieldError] = []
        clean = spec_field.field_type.clean(
            spec_field, known[spec_field.prefill], key, answers, _no_uploads, errors
        )
        if not errors and clean == answers[key]:
            found.append(key)
    return found


def identity_record(spec, answers: Mapping[str, Any], signed_in_with: SignedInWith | None) -> dict:
    """What `Submission.identity` keeps: the sign-in's snapshot and the verified answers."""
    signed_in_with = signed_in_with or NOBODY
    return {**signed_in_with.snapshot(), "verified": verified_keys(spec, answers, signed_in_with)}
