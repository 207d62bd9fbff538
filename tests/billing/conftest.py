"""Fixtures for payments: a published form with a fee in tenant A, submissions of it."""

from __future__ import annotations

import pytest
from billing_helpers import FEE_DEFINITION, make_submission
from django.contrib.auth.models import AnonymousUser
from django_tenants.utils import schema_context

from portalwerk.platform.forms import services as form_services
from portalwerk.platform.forms.models import Form


@pytest.fixture
def fee_form(tenant_a, clerk, settings, tmp_path) -> Form:
    settings.MEDIA_ROOT = tmp_path / "media"
    with schema_context(tenant_a.schema_name):
        form = form_services.create_form(
            actor=clerk,
            slug="fishing-licence",
            title={"de": "Fischereischein", "en": "Fishing licence"},
            definition=FEE_DEFINITION,
            service_key="fischereischein",
        )
        form_services.publish_version(actor=clerk, version=form.versions.get())
    return form


@pytest.fixture
def submission(tenant_a, fee_form):
    with schema_context(tenant_a.schema_name):
        return make_submission(fee_form, AnonymousUser())
