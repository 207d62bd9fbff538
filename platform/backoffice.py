"""The clerk back office on each tenant host (Django admin, its own site so the operator console
and the tenant back office never share registrations)."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.audit.admin_changes import AuditedSite
from portalwerk.platform.authz.actors import actor_for
from portalwerk.platform.authz.capabilities import (
    can_export_tenant,
    can_manage_data_sources,
    can_manage_modules,
    can_manage_staff,
    can_manage_targets,
    can_read_audit_log,
    can_use_backoffice,
    can_view_deliveries,
)


def sign_in_redirect(request):
    """Admin sites send people to the one sign-in page (rate limit, verification notices)."""
    target = request.GET.get("next") or request.path.replace("/login/", "/")
    return redirect(f"{reverse('accounts:sign-in')}?{urlencode({'next': target})}")


def _page(name, url: str, object_name: str) -> dict:
    return {
        "name": name,
        "object_name": object_name,  # the admin index makes an id of it: one word
        "admin_url": url,
        "view_only": True,
        "perms": {"view": True},
    }


class BackofficeSite(AuditedSite, admin.AdminSite):
    # django-tenants' app list (in the sidebar) brings a <style> into the body, invalid HTML;
    # the back office's index lists the same links
    enable_nav_sidebar = False
    site_header = _("Back office")
    site_title = _("Back office")
    # not the site's name again: the start page's title would read it twice
    index_title = _("Overview")

    def login(self, request, extra_context=None):
        return sign_in_redirect(request)

    def get_app_list(self, request, app_label=None):
        """The inbox (custom views under /backoffice/inbox/) first, then the registered models."""
        apps = super().get_app_list(request, app_label)
        if app_label is None:
            inbox = {
                "name": _("Casework"),
                "app_label": "casework",
                "app_url": reverse("casework:inbox"),
                "has_module_perms": True,
                "models": [
                    {
                        "name": _("Inbox"),
                        "object_name": "Inbox",
                        "admin_url": reverse("casework:inbox"),
                        "view_only": True,
                        "perms": {"view": True},
                    }
                ],
            }
            actor = actor_for(request)
            if can_view_deliveries(actor):
                inbox["models"].append(
                    _page(_("Failed hand-overs"), reverse("handover-backoffice:failed"), "handover")
                )
            apps = [inbox, *apps]
            admin_pages = [
                (can_manage_staff(actor), "staff", _("Staff"), reverse("staff:list")),
                (
                    can_manage_modules(actor),
                    "modules",
                    _("Modules"),
                    reverse("tenant-modules:modules"),
                ),
                (
                    can_manage_targets(actor),
                    "handover-targets",
                    _("Hand-over targets"),
                    reverse("handover-backoffice:targets"),
                ),
                (
                    can_manage_data_sources(actor),
                    "datasources",
                    _("Data sources"),
                    reverse("datasources:list"),
                ),
                (
                    can_export_tenant(actor),
                    "export",
                    _("Export all data"),
                    reverse("tenant-export:page"),
                ),
            ]
            pages = [_page(label, url, key) for allowed, key, label, url in admin_pages if allowed]
            if pages:
                apps.append(
                    {
                        "name": _("Administration"),
                        # an installed app's label: django-tenants' app list greys out others
                        "app_label": "accounts",
                        "app_url": pages[0]["admin_url"],
                        "has_module_perms": True,
                        "models": pages,
                    }
                )
            if can_read_audit_log(actor_for(request)):
                log = reverse("audit:log")
                apps.append(
                    {
                        "name": _("Audit log"),
                        "app_label": "audit",
                        "app_url": log,
                        "has_module_perms": True,
                        "models": [
                            {
                                "name": _("Audit log"),
                                "object_name": "Entry",
                                "admin_url": log,
                                "view_only": True,
                                "perms": {"view": True},
                            }
                        ],
                    }
                )
        return apps

    def has_permission(self, request):
        tenant = getattr(request, "tenant", None)
        return bool(
            tenant is not None and not tenant.is_platform and can_use_backoffice(actor_for(request))
        )


backoffice_site = BackofficeSite(name="backoffice")
