from django.urls import path

from portalwerk.platform.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("sign-up/", views.sign_up, name="sign-up"),
    path("sign-up/done/", views.sign_up_done, name="sign-up-done"),
    path("profile/", views.profile, name="profile"),
    path("verify-email/", views.verification, name="verification"),
    path("verify-email/<str:token>/", views.verify_email, name="verify-email"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_sent, name="password-reset-sent"),
    path(
        "password-reset/<str:token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("invitation/<str:token>/", views.accept_invitation, name="accept-invitation"),
]
