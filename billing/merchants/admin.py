"""Operator console: the tenants' connected merchant accounts. Adding one goes through
`connect_account` (checked with the provider first, audited); rows are not edited in place:
connecting the same account again sets a new platform fee, and the "Disconnect" action
(`disconnect_account`, audited) stops payments on one (citizens then pay with whatever the tenant
uses next). Rows are never deleted: late provider events still find their tenant through them."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portalwerk.billing.merchants import services
from portalwerk.billing.merchants.models import MerchantAccount
from portalwerk.tenants.admin import operator_site


class MerchantAccountForm(forms.ModelForm):
    class Meta:
        model = MerchantAccount
        fields = [
            "tenant",
            "provider",
            "account_id",
            "application_fee_cents",
            "application_fee_bps",
        ]

    def validate_unique(self):
        pass  # the same account again sets a new fee; another tenant's is the service's to refuse

    def _post_clean(self):
        data = self.cleaned_data
        if self.errors or not data.get("tenant"):
            return
        try:
            services.check_fee(
                application_fee_cents=data.get("application_fee_cents") or 0,
                application_fee_bps=data.get("application_fee_bps") or 0,
            )
            services.check_account(
                tenant=data["tenant"],
                provider=data.get("provider", ""),
                account_id=data.get("account_id", ""),
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)


@admin.register(MerchantAccount, site=operator_site)
class MerchantAccountAdmin(admin.ModelAdmin):
    form = MerchantAccountForm
    list_display = ("tenant", "provider", "account_id", "application_fee_cents", "is_active")
    list_filter = ("provider", "is_active")
    search_fields = ("account_id", "tenant__slug")
    audit_admin_changes = False  # connecting is a service, audited

    actions = ["disconnect"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Disconnect the selected accounts"))
    def disconnect(self, request, queryset):
        for account in queryset.filter(is_active=True).select_related("tenant"):
            services.disconnect_account(
                actor=request.actor, tenant=account.tenant, provider=account.provider
            )
            self.message_user(
                request,
                _("%(account)s is disconnected.") % {"account": account.account_id},
            )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        account = services.connect_account(
            actor=request.actor,
            tenant=data["tenant"],
            provider=data["provider"],
            account_id=data["account_id"],
            application_fee_cents=data["application_fee_cents"],
            application_fee_bps=data["application_fee_bps"],
        )
        obj.pk = account.pk
        obj.refresh_from_db()
