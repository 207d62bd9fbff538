from django.urls import path

from portalwerk.billing.payments import views

app_name = "payment-webhooks"

urlpatterns = [
    path("<slug:provider>/", views.webhook, name="webhook"),
]
