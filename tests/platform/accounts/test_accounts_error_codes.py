"""Services report problems as ValidationError with codes from AccountErrorCode, for the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from portalwerk.platform.accounts import services
from portalwerk.platform.accounts.errors import AccountErrorCode
from portalwerk.platform.accounts.models import User
from portalwerk.platform.authz.actors import anonymous


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def test_register_citizen_reports_every_problem_with_a_code(tenant_a):
    # given
    with schema_context(tenant_a.schema_name):
        # when
        with pytest.raises(ValidationError) as raised:
            services.register_citizen(actor=anonymous(), email="x@", full_name=" ", password="kurz")
        created = User.objects.count()

    # then
    assert codes(raised.value) == {
        "full_name": [AccountErrorCode.REQUIRED],
        "email": [AccountErrorCode.INVALID_EMAIL],
        "password": [AccountErrorCode.INVALID_PASSWORD],
    }
    assert created == 0


def test_register_citizen_is_refused_in_the_platform_schema(platform_tenant):
    # given
    with schema_context("public"):
        # when
        with pytest.raises(ValidationError) as raised:
            services.register_citizen(
                actor=anonymous(), email="a@example.org", full_name="A", password="Lindenblatt-47"
            )

    # then
    assert raised.value.code == AccountErrorCode.WRONG_SCHEMA


def test_reset_password_with_a_bad_token_reports_token_invalid(tenant_a, citizen):
    # given
    with schema_context(tenant_a.schema_name):
        # when
        with pytest.raises(ValidationError) as raised:
            services.reset_password(actor=anonymous(), token="nonsense", password="Lindenblatt-47")

    # then
    assert raised.value.code == AccountErrorCode.TOKEN_INVALID
