from django.urls import path

from portalwerk.platform.handover.contrib.demo import views

app_name = "demo_backoffice"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:parcel_id>/", views.parcel, name="parcel"),
    path("<int:parcel_id>/answers/<int:answer_id>/send/", views.send_again, name="send-again"),
    path("<int:parcel_id>/files/<int:file_id>/", views.download, name="download"),
]
