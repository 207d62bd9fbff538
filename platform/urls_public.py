"""URLs of the base host: the platform site, the operator console and the operator API."""

from django.urls import include, path

from portalwerk.graphql.urls import platform_graphql_view
from portalwerk.platform.accounts import views as accounts_views
from portalwerk.platform.catalog.bitv import views as bitv_views
from portalwerk.platform.plugins import urlpatterns as plugin_urlpatterns
from portalwerk.platform.portal import views as portal_views
from portalwerk.tenants.admin import operator_site

urlpatterns = [
    path("", portal_views.platform_home, name="platform-home"),
    path("imprint/", portal_views.platform_legal, {"page": "imprint"}, name="platform-imprint"),
    path("privacy/", portal_views.platform_legal, {"page": "privacy"}, name="platform-privacy"),
    path("accessibility/", bitv_views.statement, name="platform-statement"),
    path("leichte-sprache/", bitv_views.easy_language_page, name="platform-easy-language"),
    path("sign-language/", bitv_views.sign_language_page, name="platform-sign-language"),
    # The console's "Log out" is the portal's sign-out: it ends a single sign-on session too.
    path("admin/logout/", accounts_views.sign_out),
    path("admin/", operator_site.urls),
    path("console/", include("portalwerk.platform.console.urls")),
    path("accounts/", include("portalwerk.platform.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("graphql/", platform_graphql_view(), name="graphql"),
    path("webhooks/", include("portalwerk.billing.payments.urls_webhooks")),
    *plugin_urlpatterns("public"),
]

# Error pages that need no database and speak the visitor's language (platform/security).
handler400 = "portalwerk.platform.security.pages.bad_request_page"
handler500 = "portalwerk.platform.security.pages.server_error_page"
