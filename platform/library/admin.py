"""The template library in the operator console."""

from django.contrib import admin

from portalwerk.platform.library import services
from portalwerk.platform.library.models import ServiceTemplate
from portalwerk.tenants.admin import operator_site


@admin.register(ServiceTemplate, site=operator_site)
class ServiceTemplateAdmin(admin.ModelAdmin):
    list_display = ["name_de", "key", "leika_key", "version", "updated_at"]
    search_fields = ["name_de", "name_en", "key", "leika_key"]
    readonly_fields = ["version", "updated_at"]

    def save_model(self, request, obj, form, change):
        services.save_template(actor=request.actor, template=obj)
