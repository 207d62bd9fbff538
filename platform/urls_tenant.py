"""URLs of a tenant host: the citizen portal, the clerk back office and the tenant API."""

from django.urls import include, path

from portalwerk.graphql.urls import tenant_graphql_view
from portalwerk.platform.appointments import backoffice as appointments_backoffice
from portalwerk.platform.backoffice import backoffice_site

urlpatterns = [
    path("backoffice/appointments/", include(appointments_backoffice.urls)),
    path("backoffice/inbox/", include("portalwerk.platform.casework.urls")),
    path("backoffice/payments/", include("portalwerk.billing.payments.urls_backoffice")),
    path("backoffice/audit/", include("portalwerk.platform.audit.views")),
    path("backoffice/", backoffice_site.urls),
    path("accounts/", include("portalwerk.platform.accounts.urls")),
    path("appointments/", include("portalwerk.platform.appointments.urls")),
    path("", include("portalwerk.platform.forms.urls")),
    path("pay/demo/", include("portalwerk.billing.providers.contrib.demo.urls")),
    path("pay/", include("portalwerk.billing.payments.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("graphql/", tenant_graphql_view(), name="graphql"),
    path("", include("portalwerk.platform.catalog.urls")),
]
