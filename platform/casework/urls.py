from django.urls import path

from portalwerk.platform.casework import queue_views, views

app_name = "casework"

urlpatterns = [
    path("", queue_views.inbox, name="inbox"),
    path("bulk/", queue_views.bulk_action, name="bulk"),
    path("views/", queue_views.save_view, name="save-view"),
    path("views/<int:view_id>/delete/", queue_views.delete_view, name="delete-view"),
    path("export/", views.export, name="export"),
]
