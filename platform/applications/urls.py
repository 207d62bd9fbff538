"""The citizen's application pages (`views`). No namespace of their own: `urls_tenant.py` serves
them under `forms:`, the names they have always had, ahead of the forms app's own pages (a step
key "check" must not reach the step page)."""

from django.urls import path

from portalwerk.platform.applications import links_views, views
from portalwerk.platform.forms.urls import forms_on

urlpatterns = [
    path("forms/<slug:slug>/<uuid:draft_id>/check/", forms_on(views.check), name="check"),
    path("files/<uuid:upload_id>/", views.download, name="download"),
    path("my/applications/", views.my_applications, name="my-applications"),
    # before the page of one application, whose reference would match these words
    path("my/applications/claim/", links_views.claim, name="claim"),
    path("my/applications/new-link/", links_views.new_link, name="new-link"),
    path("my/applications/link/<str:token>/", links_views.open_link, name="link"),
    path("my/applications/<str:reference>/", views.my_application, name="my-application"),
    path(
        "my/applications/<str:reference>/documents/<int:report_id>/",
        views.report_document,
        name="report-document",
    ),
]
