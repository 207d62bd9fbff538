from django.urls import path

from portalwerk.platform.casework import views

app_name = "casework"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("export/", views.export, name="export"),
]
