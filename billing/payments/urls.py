from django.urls import path

from portalwerk.billing.payments import views
from portalwerk.tenants.models import Module
from portalwerk.tenants.modules import page_requires

app_name = "payments"

urlpatterns = [
    path("<str:reference>/", page_requires(Module.PAYMENTS)(views.pay), name="pay"),
]
