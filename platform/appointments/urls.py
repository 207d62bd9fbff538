from django.urls import path

from portalwerk.platform.appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.start, name="start"),
    path("office/", views.choose_office, name="office"),
    path("days/", views.choose_day, name="days"),
    path("times/", views.choose_time, name="times"),
    path("details/", views.details, name="details"),
    path("held/<int:appointment_id>/", views.held, name="held"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/appointment.ics", views.calendar_file, name="ics"),
    path("manage/<str:token>/cancel/", views.cancel, name="cancel"),
    path("manage/<str:token>/move/", views.move, name="move"),
]
