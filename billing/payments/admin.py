"""Back office: where fees are booked (budget line, booking text, hand-over) and who has the
finance role. Payments themselves are worked from /backoffice/payments/."""

from django.contrib import admin

from portalwerk.billing.payments.models import FeeAccount, FinanceAccess
from portalwerk.platform.authz.capabilities import can_manage_staff
from portalwerk.platform.backoffice import backoffice_site


@admin.register(FeeAccount, site=backoffice_site)
class FeeAccountAdmin(admin.ModelAdmin):
    list_display = ("form", "service_key", "budget_line", "booking_text", "hand_over")
    list_filter = ("hand_over",)


@admin.register(FinanceAccess, site=backoffice_site)
class FinanceAccessAdmin(admin.ModelAdmin):
    list_display = ("user", "granted_at")

    def has_module_permission(self, request):
        return can_manage_staff(request.actor)

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: self.has_module_permission(request)
    )
