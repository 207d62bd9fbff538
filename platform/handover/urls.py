from django.urls import path

from portalwerk.platform.handover import views

app_name = "handover"

urlpatterns = [
    path("files/<str:token>/", views.download, name="download"),
]
