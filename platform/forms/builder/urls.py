"""The builder's URLs, under backoffice/forms/<form_id>/versions/<number>/builder/."""

from django.urls import path

from portalwerk.platform.forms.builder import field_views, views

app_name = "form-builder"
# a question is named by its key, or <group>.<key> inside a repeating group (`definition`)


urlpatterns = [
    path("", views.edit, name="edit"),
    path("expert/", views.expert, name="expert"),
    path("sign-in/", views.set_sign_in, name="sign-in"),
    path("fee/", field_views.fee, name="fee"),
    path("steps/add/", views.add_step, name="step-add"),
    path("steps/<slug:step_key>/", views.change_step, name="step"),
    path("steps/<slug:step_key>/move/", views.move_step, name="step-move"),
    path("steps/<slug:step_key>/remove/", views.remove_step, name="step-remove"),
    path("steps/<slug:step_key>/fields/add/", field_views.add_field, name="field-add"),
    path(
        "steps/<slug:target>/conditions/<str:which>/", field_views.condition, name="step-condition"
    ),
    path("fields/<str:path>/", field_views.field, name="field"),
    path("fields/<str:path>/move/", field_views.move_field, name="field-move"),
    path("fields/<str:path>/remove/", field_views.remove_field, name="field-remove"),
    path("fields/<str:path>/fields/add/", field_views.add_child, name="child-add"),
    path(
        "fields/<str:target>/conditions/<str:which>/",
        field_views.condition,
        name="field-condition",
    ),
]
