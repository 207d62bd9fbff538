from django.urls import path

from portalwerk.platform.forms import views
from portalwerk.tenants.models import Module
from portalwerk.tenants.modules import page_requires

# The citizen's way through a form exists only while the tenant has forms on; confirmations,
# receipts, files and "my applications" stay, since they show what was sent already.
forms_on = page_requires(Module.FORMS)

app_name = "forms"

urlpatterns = [
    path("forms/", forms_on(views.index), name="index"),
    path("forms/resume/<str:token>/", forms_on(views.resume), name="resume"),
    path("forms/done/<str:reference>/", views.done, name="done"),
    path("forms/done/<str:reference>/receipt.pdf", views.receipt, name="receipt"),
    path("forms/<slug:slug>/", forms_on(views.start), name="start"),
    path("forms/<slug:slug>/<uuid:draft_id>/save/", forms_on(views.save), name="save"),
    path("forms/<slug:slug>/<uuid:draft_id>/<slug:step_key>/", forms_on(views.step), name="step"),
]
