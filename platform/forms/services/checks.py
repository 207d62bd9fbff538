"""What every write on forms checks (the actor's role, the definition, the version still taking
submissions) and how it reports a problem: a ValidationError keyed by field, with a code."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


def _require_clerk(actor, *, write: bool = True) -> None:
    from portalwerk.platform.accounts.models import Role

    allowed = (
        {Role.CLERK_PROCESSOR, Role.TENANT_ADMIN}
        if write
        else {
            Role.CLERK_PROCESSOR,
            Role.TENANT_ADMIN,
            Role.CLERK_READER,
        }
    )
    if not (actor is not None and getattr(actor, "is_active", False) and actor.role in allowed):
        raise _error(Code.PERMISSION_DENIED, _("You may not do this."))


def _signed_in_user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


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
