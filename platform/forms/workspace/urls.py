from django.urls import path

from portalwerk.platform.forms.workspace import trial_views, version_views, views

app_name = "forms-workspace"

version = "<int:form_id>/versions/<int:number>/"

urlpatterns = [
    path("", views.form_list, name="list"),
    path("new/", views.new, name="new"),
    path("import/", version_views.import_file, name="import"),
    path("<int:form_id>/", views.form_page, name="form"),
    path("<int:form_id>/new-version/", views.new_version, name="new-version"),
    path("<int:form_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:form_id>/compare/", version_views.compare, name="diff"),
    path(version + "preview/", version_views.preview, name="preview"),
    path(version + "preview/frame/", version_views.preview_frame, name="preview-frame"),
    path(version + "publish/", version_views.publish, name="publish"),
    path(version + "export/", version_views.export, name="export"),
    path(version + "test/", trial_views.start, name="test"),
    path(version + "test/check/", trial_views.check, name="test-check"),
    path(version + "test/<slug:step_key>/", trial_views.step, name="test-step"),
]
