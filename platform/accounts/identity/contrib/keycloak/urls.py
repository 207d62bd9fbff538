from django.urls import path

from portalwerk.platform.accounts.identity.contrib.keycloak import views

app_name = "keycloak"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("callback/", views.callback, name="callback"),
    path("back-channel-logout/", views.back_channel_logout, name="back-channel-logout"),
]
