"""Publishing and unpublishing services is a service call (the back office's actions use it):
the public page follows at once, also for anonymous visitors served from the page cache."""

from django_tenants.utils import schema_context

from portalwerk.platform.catalog import services
from portalwerk.platform.catalog.models import Service

PATH = "/services/reisepass/"


def test_unpublish_and_publish_show_at_once_on_cached_pages(catalogue, client_for, tenant_a, clerk):
    visitor = client_for(tenant_a)
    assert visitor.get(PATH).status_code == 200  # now in the anonymous page cache
    with schema_context(tenant_a.schema_name):
        passport = Service.objects.get(slug="reisepass")
        assert services.unpublish_service(actor=clerk, service=passport).is_published is False
    assert client_for(tenant_a).get(PATH).status_code == 404
    with schema_context(tenant_a.schema_name):
        count = services.publish_services(actor=clerk, service_ids=[passport.pk])
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
