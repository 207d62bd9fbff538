"""Configuration of appointments in the back office: the catalogue's offices with their booking
rules, counters, services and durations, weekly hours and exceptions; bookable services;
appointments to look up. An office itself (name, address) is added and edited in the catalogue."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.appointments.models import (
    Appointment,
    BookableOffice,
    BookableService,
    Counter,
    OfficeBookingPolicy,
    OfficeService,
    OpeningException,
    OpeningHours,
)
from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.catalog import pagecache


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


class BookingPolicyInline(admin.StackedInline):
    """The booking rules; an office without them takes no appointments."""

    model = OfficeBookingPolicy
    can_delete = True
    max_num = 1
    extra = 1
    fields = [
        "is_active",
        "granularity_minutes",
        "lead_time_minutes",
        "horizon_days",
        "max_active_per_email",
        "cancel_block_minutes",
        "hold_minutes",
        "confirm_minutes",
        "observe_public_holidays",
    ]


@admin.register(BookableOffice, site=backoffice_site)
class BookableOfficeAdmin(admin.ModelAdmin):
    list_display = ["name_de", "address_text", "takes_appointments"]
    list_select_related = ["booking_policy"]
    fields = ["name_de", "address_text"]
    readonly_fields = ["name_de", "address_text"]
    inlines = [
        BookingPolicyInline,
        OfficeServiceInline,
        CounterInline,
        OpeningHoursInline,
        OpeningExceptionInline,
    ]

    @admin.display(description=_("address"))
    def address_text(self, obj) -> str:
        return obj.address

    @admin.display(boolean=True, description=_("bookable online"))
    def takes_appointments(self, obj) -> bool:
        policy = getattr(obj, "booking_policy", None)
        return bool(policy and policy.is_active)

    def has_add_permission(self, request):
        return False  # offices are added in the catalogue

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pagecache.bump()  # the office's portal page shows "Book an appointment" or not


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
