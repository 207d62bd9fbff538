"""Operator console: the tenants' connected merchant accounts."""

from django.contrib import admin

from portalwerk.billing.merchants.models import MerchantAccount
from portalwerk.tenants.admin import operator_site


@admin.register(MerchantAccount, site=operator_site)
class MerchantAccountAdmin(admin.ModelAdmin):
    list_display = ("tenant", "provider", "account_id", "application_fee_cents", "is_active")
    list_filter = ("provider", "is_active")
    search_fields = ("account_id", "tenant__slug")
