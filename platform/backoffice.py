"""The clerk back office on each tenant host: its sign-in (the Django admin site behind every
workspace page, its own site so the operator console and the tenant back office never share
registrations) and the pages it offers beside the workspace. `/backoffice/` itself is the
workspace's start page (platform/workspace); the admin's model pages stay for technical tasks."""

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
)


def sign_in_redirect(request):
    """Admin sites send people to the one sign-in page (rate limit, verification notices)."""
    target = request.GET.get("next") or request.path.replace("/login/", "/")
    return redirect(f"{reverse('accounts:sign-in')}?{urlencode({'next': target})}")


def administration_pages(actor) -> list[tuple[str, str, str]]:
    """The tenant's own settings pages the actor may open: (key, label, URL)."""
    pages = [
        (can_manage_staff(actor), "staff", _("Staff"), "staff:list"),
        (can_manage_modules(actor), "modules", _("Modules"), "tenant-modules:modules"),
        (
            can_manage_targets(actor),
            "handover-targets",
            _("Hand-over targets"),
            "handover-backoffice:targets",
        ),
        (can_manage_data_sources(actor), "datasources", _("Data sources"), "datasources:list"),
        (can_read_audit_log(actor), "audit", _("Audit log"), "audit:log"),
        (can_export_tenant(actor), "export", _("Export all data"), "tenant-export:page"),
    ]
    return [(key, label, reverse(name)) for allowed, key, label, name in pages if allowed]


class BackofficeSite(AuditedSite, admin.AdminSite):
    # django-tenants' app list (in the sidebar) brings a <style> into the body, invalid HTML;
    # the start page lists the same links
    enable_nav_sidebar = False
    site_header = _("Back office")
    site_title = _("Back office")
    index_title = _("Technical administration")

    def login(self, request, extra_context=None):
        return sign_in_redirect(request)

    def has_permission(self, request):
        tenant = getattr(request, "tenant", None)
        return bool(
            tenant is not None and not tenant.is_platform and can_use_backoffice(actor_for(request))
        )


backoffice_site = BackofficeSite(name="backoffice")
