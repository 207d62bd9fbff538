from django.urls import path

from portalwerk.billing.payments import views

app_name = "payments-backoffice"

urlpatterns = [
    path("", views.clerk_list, name="list"),
    path("export/", views.clerk_export, name="export"),
    path("account/", views.merchant_account, name="account"),
    path("<uuid:payment_id>/", views.clerk_detail, name="detail"),
]
