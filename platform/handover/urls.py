from django.urls import path

from portalwerk.platform.handover import status_views, views

app_name = "handover"

urlpatterns = [
    path("files/<str:token>/", views.download, name="download"),
    path("status/<int:target_id>/", status_views.report, name="status"),
]
