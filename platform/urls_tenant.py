"""URLs of a tenant host: the citizen portal, the clerk back office and the tenant API."""

from django.urls import include, path

from portalwerk.graphql.urls import tenant_graphql_view
from portalwerk.platform.accounts import views as accounts_views
from portalwerk.platform.applications import urls as applications_urls
from portalwerk.platform.appointments import backoffice as appointments_backoffice
from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.casework import urls as casework_urls
from portalwerk.platform.forms import urls as forms_urls
from portalwerk.platform.plugins import urlpatterns as plugin_urlpatterns
from portalwerk.platform.workspace import submission as workspace_submission

# The forms app's own pages and the application pages built on forms, casework and payments
# share the `forms` namespace; the latter live above those apps (docs/decisions/0011).
forms_pages = ([*applications_urls.urlpatterns, *forms_urls.urlpatterns], forms_urls.app_name)
# The submission page shows casework and payments together: it lives in the workspace, above
# both, and keeps its name in the casework namespace.
casework_pages = (
    [
        path("<int:submission_id>/", workspace_submission.detail, name="detail"),
        *casework_urls.urlpatterns,
    ],
    casework_urls.app_name,
)

urlpatterns = [
    path("backoffice/appointments/", include(appointments_backoffice.urls)),
    path("backoffice/inbox/", include(casework_pages)),
    path("backoffice/forms/", include("portalwerk.platform.forms.workspace.urls")),
    path("backoffice/payments/", include("portalwerk.billing.payments.urls_backoffice")),
    path("backoffice/audit/", include("portalwerk.platform.audit.views")),
    path("backoffice/staff/", include("portalwerk.platform.accounts.backoffice")),
    path("backoffice/modules/", include("portalwerk.tenants.backoffice")),
    path("backoffice/data-export/", include("portalwerk.tenants.archive.views")),
    path("backoffice/handover/", include("portalwerk.platform.handover.backoffice")),
    path("backoffice/datasources/", include("portalwerk.platform.datasources.backoffice")),
    path(
        "backoffice/forms/<int:form_id>/versions/<int:number>/builder/",
        include("portalwerk.platform.forms.builder.urls"),
    ),
    path(
        "backoffice/forms/<int:form_id>/handover/",
        include("portalwerk.platform.handover.form_targets_page"),
    ),
    # The back office's "Log out" is the portal's sign-out: it ends a single sign-on session too.
    path("backoffice/logout/", accounts_views.sign_out),
    # the clerk's start page, before the admin (whose model pages stay for technical tasks)
    path("backoffice/", include("portalwerk.platform.workspace.urls")),
    path("backoffice/", backoffice_site.urls),
    path("accounts/", include("portalwerk.platform.accounts.urls")),
    path("handover/", include("portalwerk.platform.handover.urls")),
    path("appointments/", include("portalwerk.platform.appointments.urls")),
    path("", include(forms_pages)),
    *plugin_urlpatterns("tenant"),  # what enabled plugins bring (the demo payment page)
    path("pay/", include("portalwerk.billing.payments.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("graphql/", tenant_graphql_view(), name="graphql"),
    path("", include("portalwerk.platform.catalog.urls")),
]

# Error pages that need no database and speak the visitor's language (platform/security).
handler400 = "portalwerk.platform.security.pages.bad_request_page"
handler500 = "portalwerk.platform.security.pages.server_error_page"
