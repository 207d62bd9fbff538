from django.urls import path

from portalwerk.platform.console import views

app_name = "console"
urlpatterns = [
    path("", views.tenant_list, name="tenants"),
    path("new/", views.new_tenant, name="new"),
    path("upgrades/", views.upgrades_page, name="upgrades"),
    path("tenants/<slug:slug>/", views.tenant_detail, name="tenant"),
    path("tenants/<slug:slug>/plan/", views.plan, name="plan"),
    path("tenants/<slug:slug>/apply/", views.apply, name="apply"),
]
