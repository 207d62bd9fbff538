from django.urls import path

from portalwerk.billing.payments import views

app_name = "payments"

urlpatterns = [
    path("<str:reference>/", views.pay, name="pay"),
]
