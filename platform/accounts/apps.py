from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portalwerk.platform.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portalwerk.platform.accounts import staff
        from portalwerk.tenants.onboarding import AdminInviter, register_admin_inviter

        register_admin_inviter(
            AdminInviter(
                invite=staff.invite_first_admin,
                resend=staff.resend_admin_invitations,
                check=staff.check_email,
            )
        )
