from django.urls import path

from portalwerk.platform.workspace import start

app_name = "workspace"

urlpatterns = [path("", start.start, name="start")]
