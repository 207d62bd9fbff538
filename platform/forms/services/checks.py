"""What every write on forms checks (the actor's capabilities, the definition, the version still
taking submissions) and how it reports a problem: a ValidationError keyed by field, with a code."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor, user_of
from portalwerk.platform.error_codes import code_error
from portalwerk.platform.forms.engine.specs import DefinitionError, FieldError
from portalwerk.platform.forms.errors import FormErrorCode as Code
from portalwerk.platform.forms.models import FormVersion


def field_errors(errors: list[FieldError]) -> ValidationError:
    """Engine errors as one ValidationError keyed by field path (\"\" for the whole form)."""
    by_path: dict[str, list[ValidationError]] = {}
    for e in errors:
        by_path.setdefault(e.path or "__all__", []).append(ValidationError(e.message, code=e.code))
    return ValidationError(by_path)


def _error(code: str, message: str, field: str = "__all__") -> ValidationError:
    return code_error(code, message, field)


def _require_manager(actor: Actor) -> None:
    """Building and publishing forms is part of managing the tenant's settings."""
    capabilities.require(actor, capabilities.Capability.MANAGE_SETTINGS)


def _signed_in_user(actor: Actor):
    return user_of(actor)


def check_definition(definition: Any) -> None:
    from portalwerk.platform.forms.engine.form import FormSpec

    try:
        FormSpec.from_definition(definition)
    except DefinitionError as exc:
        raise ValidationError(
            {
                "definition": [
                    ValidationError(problem, code=Code.INVALID_DEFINITION)
                    for problem in exc.problems
                ]
            }
        ) from None


def _ensure_open(version: FormVersion) -> None:
    if not version.accepts_submissions:
        raise _error(
            Code.VERSION_NOT_AVAILABLE,
            _(
                "This form has been taken offline by the office, so it cannot be completed. "
                "Nothing was saved."
            ),
        )
