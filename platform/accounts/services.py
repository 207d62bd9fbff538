"""Writes on accounts. Each runs in the schema that is active (a tenant's, or public for
operators)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform.accounts.models import Role, User


def create_operator(*, email: str, password: str) -> User:
    if connection.schema_name != "public":
        raise ValidationError(_("Operators exist only on the platform."), code="wrong_schema")
    return _create_user(email=email, password=password, role=Role.OPERATOR, verified=True)


def create_staff_user(
    *, actor, email: str, password: str | None, role: str, full_name: str = ""
) -> User:
    if role not in {Role.CLERK_READER, Role.CLERK_PROCESSOR, Role.TENANT_ADMIN}:
        raise ValidationError(
            {"role": ValidationError(_("Not a staff role."), code="invalid_role")}
        )
    return _create_user(
        email=email, password=password, role=role, verified=True, full_name=full_name
    )


def _create_user(
    *, email: str, password: str | None, role: str, verified: bool, full_name: str = ""
) -> User:
    email = (email or "").strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": ValidationError(
                    _("An account with this email address exists already."), code="duplicate_email"
                )
            }
        )
    user = User(email=email, role=role, full_name=full_name)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.error_list}) from None
    with transaction.atomic():
        user.email_verified_at = timezone.now() if verified else None
        user.set_password(password) if password else user.set_unusable_password()
        user.save()
    return user
