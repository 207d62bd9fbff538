from django.urls import path

from portalwerk.billing.providers.contrib.demo import views

app_name = "demo_provider"

urlpatterns = [
    path("<str:ref>/", views.checkout, name="checkout"),
]
