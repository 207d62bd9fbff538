"""Publishing and unpublishing services is a service call (the back office's actions use it):
the public page follows at once, also for anonymous visitors served from the page cache."""

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role
from portalwerk.platform.authz.actors import anonymous, from_user
from portalwerk.platform.catalog import services
from portalwerk.platform.catalog.models import Service
from tests.conftest import make_user

PATH = "/services/reisepass/"


def test_unpublish_and_publish_show_at_once_on_cached_pages(catalogue, client_for, tenant_a, clerk):
    visitor = client_for(tenant_a)
    assert visitor.get(PATH).status_code == 200  # now in the anonymous page cache
    with schema_context(tenant_a.schema_name):
        passport = Service.objects.get(slug="reisepass")
        assert (
            services.unpublish_service(actor=from_user(clerk), service=passport).is_published
            is False
        )
    assert client_for(tenant_a).get(PATH).status_code == 404
    with schema_context(tenant_a.schema_name):
        count = services.publish_services(actor=from_user(clerk), service_ids=[passport.pk])
    assert count == 1
    assert client_for(tenant_a).get(PATH).status_code == 200


def test_the_back_office_action_unpublishes_through_the_service(
    catalogue, client_for, tenant_a, clerk
):
    with schema_context(tenant_a.schema_name):
        passport = Service.objects.get(slug="reisepass")
    assert client_for(tenant_a).get(PATH).status_code == 200
    office = client_for(tenant_a)
    office.sign_in(clerk.email)
    response = office.post(
        "/backoffice/catalog/service/",
        {"action": "unpublish", "_selected_action": [passport.pk]},
    )
    assert response.status_code == 302
    assert client_for(tenant_a).get(PATH).status_code == 404


def test_publishing_needs_someone_who_manages_the_catalogue(catalogue, tenant_a):
    reader = make_user(tenant_a, "reader@alpha.example", Role.CLERK_READER)
    with schema_context(tenant_a.schema_name):
        passport = Service.objects.get(slug="reisepass")
        for who in (anonymous(), from_user(reader)):
            with pytest.raises(ValidationError) as refused:
                services.unpublish_service(actor=who, service=passport)
            assert refused.value.error_dict["__all__"][0].code == "permission_denied"
        passport.refresh_from_db()
        assert passport.is_published is True
