from django.urls import path

from portalwerk.platform.catalog import views
from portalwerk.platform.catalog.bitv import views as bitv_views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.a_to_z, name="a-to-z"),
    path("services/<slug:slug>/", views.service, name="service"),
    path("offices/<slug:slug>/", views.office, name="office"),
    path("life-situations/<slug:slug>/", views.category, name="category"),
    path("search/", views.search, name="search"),
    path("imprint/", views.legal, {"page": "imprint"}, name="imprint"),
    path("privacy/", views.legal, {"page": "privacy"}, name="privacy"),
    path("accessibility/", bitv_views.statement, name="accessibility"),
    path("leichte-sprache/", bitv_views.easy_language_page, name="easy-language"),
    path("sign-language/", bitv_views.sign_language_page, name="sign-language"),
    path("branding/logo", views.logo, name="logo"),
]
