"""Which models of the tenant apps the archive holds, under which kind, and which it leaves out
and why. `tests/tenants/archive/test_kinds.py` fails when a tenant app gains a model that is
named in neither table, so a new model is a decision, not an accident."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models

# kind -> model labels (`app_label.ModelName`; many-to-many tables by their through model's
# label). A kind is one JSON Lines file per model under `data/<kind>/`.
KINDS: dict[str, tuple[str, ...]] = {
    "catalogue": (
        "catalog.Category",
        "catalog.Office",
        "catalog.OpeningHours",
        "catalog.Closure",
        "catalog.Service",
        "catalog.Service_categories",
    ),
    "portal_settings": ("catalog.PortalSettings",),
    "accessibility": (
        "catalog.AccessibilityStatement",
        "catalog.KnownBarrier",
        "catalog.SignLanguageVideo",
        "catalog.AccessibilityFeedback",
    ),
    "forms": (
        "forms.Form",
        "forms.FormVersion",
        "forms.PurgeRecord",
        "forms.ReferenceSequence",
    ),
    "drafts": ("forms.Draft",),
    "submissions": (
        "forms.Submission",
        "forms.Upload",
        "forms.Receipt",
        "forms.SubmissionLink",
    ),
    "casework": (
        "casework.StatusChange",
        "casework.Message",
        "casework.Message_attachments",
        "casework.Note",
        "casework.SavedView",
    ),
    "appointments": (
        "appointments.OfficeBookingPolicy",
        "appointments.BookableService",
        "appointments.OfficeService",
        "appointments.Counter",
        "appointments.Counter_services",
        "appointments.OpeningHours",
        "appointments.OpeningException",
        "appointments.Appointment",
        "appointments.AppointmentItem",
        "appointments.Slot",
    ),
    "payments": (
        "payments.FeeAccount",
        "payments.Payment",
        "payments.StatusChange",
        "payments.ProviderEventRecord",
        "payments.Refund",
        "payments.HandOver",
        "payments.FinanceAccess",
        "payments.PaymentReferenceSequence",
    ),
    "deliveries": (
        "handover.Target",
        "handover.Target_forms",
        "handover.Delivery",
        "handover.Report",
    ),
    "data_sources": ("datasources.DataSource",),
    "audit": ("audit.Entry", "admin.LogEntry"),
    "users": (
        "accounts.User",
        "auth.Group",
        "auth.Group_permissions",
        "accounts.User_groups",
        "accounts.User_user_permissions",
    ),
}

# label -> why the archive leaves it out
NOT_EXPORTED: dict[str, str] = {
    "contenttypes.ContentType": (
        "made by migrations; every new schema has them from the template, and the archive "
        "refers to them by natural key (app label, model)"
    ),
    "auth.Permission": (
        "made by migrations like the content types; referred to by natural key (codename, app "
        "label, model)"
    ),
    "sessions.Session": (
        "sign-ins: a session belongs to the host that made it, which the restored tenant does "
        "not have; people sign in again"
    ),
    "keycloak.PortalSession": (
        "single sign-on sessions of the Keycloak plugin, bound to the host like Django's"
    ),
    "accounts.SignInFailure": "rate limit of failed sign-ins, pruned after minutes",
    "ratelimits.Counter": "rate-limit windows, minutes long",
    "mail.SentMail": (
        "idempotency keys of mails sent from this schema (hashes, pruned after days); a "
        "restored tenant runs none of the old jobs again"
    ),
    "demo_provider.DemoCheckout": (
        "the demo payment plugin's stand-in for the remote provider: the provider's records, "
        "not the municipality's (the payments themselves are exported)"
    ),
}


def tenant_app_labels() -> set[str]:
    names = set(settings.TENANT_APPS)
    return {config.label for config in apps.get_app_configs() if config.name in names}


def tenant_models() -> list[type[models.Model]]:
    """Every model with a table in a tenant schema (many-to-many tables included)."""
    labels = tenant_app_labels()
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in labels and model._meta.managed and not model._meta.proxy
    ]


def unclassified() -> list[str]:
    """Labels of tenant models named in neither table (what the kinds test reports)."""
    known = {label for labels in KINDS.values() for label in labels} | set(NOT_EXPORTED)
    return sorted(m._meta.label for m in tenant_models() if m._meta.label not in known)


def exported() -> list[tuple[str, type[models.Model]]]:
    """(kind, model) of every tenant model the archive holds, in the tables' order. A model
    named in neither table is exported under a kind of its own label: the kinds test makes
    someone decide, and meanwhile nothing of the tenant is left behind."""
    present = {m._meta.label: m for m in tenant_models()}
    result = []
    for kind, labels in KINDS.items():
        result.extend((kind, present[label]) for label in labels if label in present)
    result.extend((label.lower(), present[label]) for label in unclassified())
    return result


def kind_names() -> list[str]:
    return list(KINDS)


def labels() -> list[tuple[str, str]]:
    """(kind, what it holds in words) for the back office's page, in the archive's order."""
    from django.utils.translation import gettext as _

    words = {
        "catalogue": _("service catalogue: services, categories, offices, opening hours"),
        "portal_settings": _("portal settings: colours, logo, imprint, privacy notice"),
        "accessibility": _("accessibility statement, known barriers and feedback"),
        "forms": _("forms with all their versions"),
        "drafts": _("applications citizens have started but not sent"),
        "submissions": _("submissions with their uploaded files, receipts and access links"),
        "casework": _(
            "status history, messages and their attachments, internal notes, clerks' saved "
            "inbox views"
        ),
        "appointments": _("appointments, calendars, counters and booking rules"),
        "payments": _("payments, refunds and fee accounts"),
        "deliveries": _("hand-over targets and every delivery to them"),
        "data_sources": _("data sources"),
        "audit": _("the audit log"),
        "users": _("user accounts and roles (without passwords)"),
    }
    return [(kind, words.get(kind, kind)) for kind in KINDS]
