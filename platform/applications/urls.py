"""The citizen's application pages (`views`). No namespace of their own: `urls_tenant.py` serves
them under `forms:`, the names they have always had, ahead of the forms app's own pages (a step
key "check" must not reach the step page)."""

from django.urls import path

from portalwerk.platform.applications import views

urlpatterns = [
    path("forms/<slug:slug>/<uuid:draft_id>/check/", views.check, name="check"),
    path("files/<uuid:upload_id>/", views.download, name="download"),
    path("my/applications/", views.my_applications, name="my-applications"),
    path("my/applications/<str:reference>/", views.my_application, name="my-application"),
]
