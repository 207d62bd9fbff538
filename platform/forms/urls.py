from django.urls import path

from portalwerk.platform.forms import views

app_name = "forms"

urlpatterns = [
    path("forms/", views.index, name="index"),
    path("forms/resume/<str:token>/", views.resume, name="resume"),
    path("forms/done/<str:reference>/", views.done, name="done"),
    path("forms/done/<str:reference>/receipt.pdf", views.receipt, name="receipt"),
    path("forms/<slug:slug>/", views.start, name="start"),
    path("forms/<slug:slug>/<uuid:draft_id>/save/", views.save, name="save"),
    path("forms/<slug:slug>/<uuid:draft_id>/<slug:step_key>/", views.step, name="step"),
]
