"""Configuration of appointments in the back office: offices with their counters, services and
durations, weekly hours and exceptions; bookable services; appointments to look up."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.appointments.models import (
    Appointment,
    BookableService,
    Counter,
    Office,
    OfficeService,
    OpeningException,
    OpeningHours,
)
from portalwerk.platform.backoffice import backoffice_site


class OfficeServiceInline(admin.TabularInline):
    model = OfficeService
    extra = 0


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0
    filter_horizontal = ["services"]


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class OpeningExceptionInline(admin.TabularInline):
    model = OpeningException
    extra = 0


@admin.register(Office, site=backoffice_site)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "is_active", "granularity_minutes", "horizon_days"]
    fieldsets = [
        (None, {"fields": ["name", "address", "directions", "catalog_key", "is_active"]}),
        (
            _("Booking rules"),
            {
                "fields": [
                    "granularity_minutes",
                    "lead_time_minutes",
                    "horizon_days",
                    "max_active_per_email",
                    "cancel_block_minutes",
                    "hold_minutes",
                    "confirm_minutes",
                    "observe_public_holidays",
                ]
            },
        ),
    ]
    inlines = [OfficeServiceInline, CounterInline, OpeningHoursInline, OpeningExceptionInline]


@admin.register(Counter, site=backoffice_site)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "is_active"]
    list_filter = ["office"]
    filter_horizontal = ["services"]


@admin.register(BookableService, site=backoffice_site)
class BookableServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "catalog_key", "is_active"]


@admin.register(Appointment, site=backoffice_site)
class AppointmentAdmin(admin.ModelAdmin):
    """Looking up appointments; changes go through the day view (services, audit)."""

    list_display = ["starts_at", "office", "counter", "name", "status"]
    list_filter = ["office", "status"]
    search_fields = ["name", "email"]
    date_hierarchy = "starts_at"
    list_select_related = ["office", "counter"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
