from django.urls import path

from portalwerk.platform.catalog import views
from portalwerk.platform.catalog.bitv import views as bitv_views
from portalwerk.tenants.models import Module
from portalwerk.tenants.modules import page_requires

# The catalogue's own pages exist only while the tenant has its catalogue on; the home page,
# the legal pages and the logo are the portal's and stay.
catalogue_on = page_requires(Module.CATALOG)

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", catalogue_on(views.a_to_z), name="a-to-z"),
    path("services/<slug:slug>/", catalogue_on(views.service), name="service"),
    path("offices/<slug:slug>/", catalogue_on(views.office), name="office"),
    path("life-situations/<slug:slug>/", catalogue_on(views.category), name="category"),
    path("search/", catalogue_on(views.search), name="search"),
    path("imprint/", views.legal, {"page": "imprint"}, name="imprint"),
    path("privacy/", views.legal, {"page": "privacy"}, name="privacy"),
    path("accessibility/", bitv_views.statement, name="accessibility"),
    path("leichte-sprache/", bitv_views.easy_language_page, name="easy-language"),
    path("sign-language/", bitv_views.sign_language_page, name="sign-language"),
    path("branding/logo", views.logo, name="logo"),
]
