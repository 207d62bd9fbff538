from django.urls import path

from portalwerk.platform.appointments.views import booking, by_token
from portalwerk.tenants.models import Module
from portalwerk.tenants.modules import page_requires

app_name = "appointments"

# The pages exist only for tenants that have the appointments module switched on.
module_on = page_requires(Module.APPOINTMENTS)


urlpatterns = [
    path("", module_on(booking.start), name="start"),
    path("office/", module_on(booking.choose_office), name="office"),
    path("days/", module_on(booking.choose_day), name="days"),
    path("times/", module_on(booking.choose_time), name="times"),
    path("details/", module_on(booking.details), name="details"),
    path("held/<int:appointment_id>/", module_on(booking.held), name="held"),
    path("confirm/<str:token>/", module_on(by_token.confirm), name="confirm"),
    path("manage/<str:token>/", module_on(by_token.manage), name="manage"),
    path("manage/<str:token>/appointment.ics", module_on(by_token.calendar_file), name="ics"),
    path("manage/<str:token>/cancel/", module_on(by_token.cancel), name="cancel"),
    path("manage/<str:token>/move/", module_on(by_token.move), name="move"),
    # last, so that the steps above win: the link of a catalogue service (its slug)
    path("<slug:service_key>/", module_on(booking.for_service), name="service"),
]
