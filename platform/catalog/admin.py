"""The catalogue in the clerk back office (/backoffice/ on the tenant host): services with a preview
of their public page and adoption from the template library, offices with opening hours and
closures, life situations, and the portal settings (branding, legal pages)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.catalog import services
from portalwerk.platform.catalog.models import (
    Category,
    Closure,
    Office,
    OpeningHours,
    PortalSettings,
    Service,
)
from portalwerk.platform.library.errors import CatalogErrorCode
from portalwerk.platform.library.models import ServiceTemplate


class ChangesCataloguePages(admin.ModelAdmin):
    """Every change in the back office makes the public pages current at once."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.catalogue_changed(actor=request.actor)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.catalogue_changed(actor=request.actor)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.catalogue_changed(actor=request.actor)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.catalogue_changed(actor=request.actor)


@admin.register(Category, site=backoffice_site)
class CategoryAdmin(ChangesCataloguePages):
    list_display = ["name_de", "name_en", "slug", "position"]
    prepopulated_fields = {"slug": ["name_de"]}
    search_fields = ["name_de", "name_en"]


class OpeningHoursFormSet(forms.BaseInlineFormSet):
    """Periods of one weekday must not overlap (a break is the gap between two periods)."""

    def clean(self):
        super().clean()
        periods: dict[int, list[tuple]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("opens") or not data.get("closes"):
                continue
            periods.setdefault(data["weekday"], []).append((data["opens"], data["closes"]))
        for day, spans in periods.items():
            spans.sort()
            for (_o1, c1), (o2, _c2) in zip(spans, spans[1:], strict=False):
                if o2 < c1:
                    raise ValidationError(
                        _("Two opening periods on %(day)s overlap."),
                        code=CatalogErrorCode.TIMES_OVERLAP,
                        params={"day": OpeningHours(weekday=day).get_weekday_display()},
                    )


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    formset = OpeningHoursFormSet
    extra = 1


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


@admin.register(Office, site=backoffice_site)
class OfficeAdmin(ChangesCataloguePages):
    list_display = ["name_de", "street", "city", "phone"]
    search_fields = ["name_de", "name_en", "street", "city"]
    prepopulated_fields = {"slug": ["name_de"]}
    inlines = [OpeningHoursInline, ClosureInline]


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = ["search_terms"]  # the admin adds the fieldsets' fields
        widgets = {"search_terms": forms.Textarea(attrs={"rows": 4, "cols": 40})}

    def clean_search_terms(self):
        # the service's own rules, shown at the field (the save goes through the service)
        try:
            terms = services.clean_search_terms(self.cleaned_data.get("search_terms", ""))
        except ValidationError as exc:
            raise ValidationError(exc.error_dict["search_terms"]) from None
        return "\n".join(terms)


@admin.register(Service, site=backoffice_site)
class ServiceAdmin(ChangesCataloguePages):
    form = ServiceForm
    list_display = ["name_de", "office", "is_published", "is_top", "library_status"]
    list_filter = ["is_published", "is_top", "categories", "office"]
    search_fields = ["name_de", "name_en", "leika_key", "slug"]
    prepopulated_fields = {"slug": ["name_de"]}
    filter_horizontal = ["categories"]
    readonly_fields = ["library_key", "library_version", "library_status"]
    actions = ["publish", "unpublish", "refresh_from_library"]
    view_on_site = False  # the "Preview public page" link shows unpublished services too
    fieldsets = [
        (None, {"fields": ["name_de", "name_en", "slug", "leika_key", "is_published", "is_top"]}),
        (
            _("Description"),
            {
                "fields": [
                    "summary_de",
                    "summary_en",
                    "description_de",
                    "description_en",
                    "eligibility_de",
                    "eligibility_en",
                    "documents_de",
                    "documents_en",
                    "processing_time_de",
                    "processing_time_en",
                    "legal_basis_de",
                    "legal_basis_en",
                ]
            },
        ),
        (
            _("Fee"),
            {
                "fields": [
                    "fee_kind",
                    "fee_amount_cents",
                    "fee_note_de",
                    "fee_note_en",
                    "budget_line",
                ]
            },
        ),
        (_("Search"), {"fields": ["search_terms"]}),
        (
            _("Responsibility and next steps"),
            {"fields": ["office", "categories", "form_url", "appointment_url"]},
        ),
        (_("Template library"), {"fields": ["library_key", "library_version", "library_status"]}),
    ]

    def save_model(self, request, obj, form, change):
        """The search terms are written by `services.set_search_terms` (audited), the rest as
        the admin does."""
        terms = obj.search_terms
        if "search_terms" in form.changed_data:
            obj.search_terms = form.initial.get("search_terms", "") if change else ""
        super().save_model(request, obj, form, change)
        if "search_terms" in form.changed_data:
            services.set_search_terms(actor=request.actor, service=obj, terms=terms)

    def get_queryset(self, request):
        current = ServiceTemplate.objects.filter(key=OuterRef("library_key")).values("version")
        return (
            super()
            .get_queryset(request)
            .select_related("office")
            .annotate(library_current_version=Subquery(current[:1]))
        )

    @admin.display(description=_("template library"))
    def library_status(self, obj: Service) -> str:
        if not obj.library_key:
            return "–"
        if services.library_changed(obj):
            return _("library changed since (version %(version)s)") % {
                "version": obj.library_current_version
                if hasattr(obj, "library_current_version")
                else "?"
            }
        return _("up to date")

    @admin.action(description=_("Publish selected services"), permissions=["change"])
    def publish(self, request, queryset):
        count = services.publish_services(
            actor=request.actor, service_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(
            request,
            ngettext("%(count)d service published.", "%(count)d services published.", count)
            % {"count": count},
        )

    @admin.action(description=_("Unpublish selected services"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = services.unpublish_services(
            actor=request.actor, service_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(
            request,
            ngettext("%(count)d service unpublished.", "%(count)d services unpublished.", count)
            % {"count": count},
        )

    @admin.action(
        description=_("Replace description with the library's current version"),
        permissions=["change"],
    )
    def refresh_from_library(self, request, queryset):
        done = 0
        for service in queryset:
            try:
                services.refresh_from_template(actor=request.actor, service=service)
                done += 1
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.WARNING)
        self.message_user(
            request,
            ngettext("%(count)d service updated.", "%(count)d services updated.", done)
            % {"count": done},
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="catalog_service_preview",
            ),
            path(
                "library/",
                self.admin_site.admin_view(self.library_view),
                name="catalog_service_library",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id: int):
        """The public page exactly as citizens will see it, published or not."""
        from portalwerk.platform.catalog.views import render_service

        if not self.has_view_permission(request):
            return redirect("backoffice:index")
        service = get_object_or_404(
            Service.objects.select_related("office").prefetch_related(
                "categories", "office__opening_hours"
            ),
            pk=object_id,
        )
        return render_service(request, service, preview=True)

    def library_view(self, request):
        """The shared template library: adopt a template as a copy to adapt."""
        if request.method == "POST":
            if not self.has_add_permission(request):
                return redirect("backoffice:index")
            try:
                service = services.adopt_template(actor=request.actor, key=request.POST.get("key"))
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return redirect("backoffice:catalog_service_library")
            self.message_user(
                request,
                _("“%(name)s” was adopted as an unpublished copy. Adapt it and publish it.")
                % {"name": service.name_de},
            )
            return redirect("backoffice:catalog_service_change", service.pk)
        adopted = dict(
            Service.objects.exclude(library_key="").values_list("library_key", "library_version")
        )
        templates = list(ServiceTemplate.objects.order_by("name_de"))
        for template in templates:
            template.adopted_version = adopted.get(template.key)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Template library"),
            "templates": templates,
            "opts": self.model._meta,
            "can_add": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/catalog/service/library.html", context)


class PortalSettingsForm(forms.ModelForm):
    logo_file = forms.FileField(
        label=_("logo"), required=False, help_text=_("PNG or JPEG, at most 200 KB.")
    )
    remove_logo = forms.BooleanField(label=_("remove the logo"), required=False)

    class Meta:
        model = PortalSettings
        fields = [
            "portal_name",
            "primary_colour",
            "imprint_de",
            "imprint_en",
            "privacy_de",
            "privacy_en",
            "accessibility_de",
            "accessibility_en",
            "feedback_email",
            "feedback_phone",
        ]

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        data = upload.read(services.MAX_LOGO_BYTES + 1)
        services.sniff_logo(data)
        return data


@admin.register(PortalSettings, site=backoffice_site)
class PortalSettingsAdmin(ChangesCataloguePages):
    form = PortalSettingsForm
    list_display = ["__str__", "portal_name", "primary_colour", "logo_preview"]
    readonly_fields = ["logo_preview"]

    @admin.display(description=_("current logo"))
    def logo_preview(self, obj):
        if not obj.has_logo:
            return "–"
        return format_html('<img src="{}" alt="" height="48">', reverse("catalog:logo"))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not PortalSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    audit_admin_changes = False  # the service writes the entry

    def save_model(self, request, obj, form, change):
        services.save_portal_settings(
            actor=request.actor,
            settings=obj,
            logo=form.cleaned_data.get("logo_file"),
            remove_logo=form.cleaned_data.get("remove_logo", False),
        )


from portalwerk.platform.catalog.bitv import admin as bitv_admin  # noqa: E402, F401 (registers)
