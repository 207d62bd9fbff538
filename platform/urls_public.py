"""URLs of the base host: the platform site, the operator console and the operator API."""

from django.urls import include, path

from portalwerk.graphql.urls import platform_graphql_view
from portalwerk.platform.plugins import urlpatterns as plugin_urlpatterns
from portalwerk.platform.portal import views as portal_views
from portalwerk.tenants.admin import operator_site

urlpatterns = [
    path("", portal_views.platform_home, name="platform-home"),
    path("admin/", operator_site.urls),
    path("accounts/", include("portalwerk.platform.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("graphql/", platform_graphql_view(), name="graphql"),
    path("webhooks/", include("portalwerk.billing.payments.urls_webhooks")),
    *plugin_urlpatterns("public"),
]
