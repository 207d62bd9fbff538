"""The shared form-template library in the operator console (public schema)."""

from __future__ import annotations

from django import forms as djforms
from django.contrib import admin
from django.core.exceptions import ValidationError

from portalwerk.platform.formlibrary.models import FormTemplate
from portalwerk.platform.forms.engine.form import FormSpec
from portalwerk.platform.forms.engine.specs import DefinitionError
from portalwerk.tenants.admin import operator_site


class TemplateForm(djforms.ModelForm):
    definition = djforms.JSONField(
        widget=djforms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"})
    )

    class Meta:
        model = FormTemplate
        fields = ["key", "title", "description", "service_key", "definition", "retention_days"]

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        try:
            FormSpec.from_definition(definition)
        except DefinitionError as exc:
            raise ValidationError(exc.problems, code="invalid_definition") from None
        return definition


@admin.register(FormTemplate, site=operator_site)
class FormTemplateAdmin(admin.ModelAdmin):
    form = TemplateForm
    list_display = ["key", "__str__", "version", "service_key", "updated_at"]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        if change and form.changed_data:
            obj.version += 1  # tenants that adopted it see that the library moved on
        super().save_model(request, obj, form, change)
