"""Every action code the audit trail knows, namespaced by the kind of object it concerns."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorKind(models.TextChoices):
    ANONYMOUS = "anonymous", _("anonymous")
    CITIZEN = "citizen", _("citizen")
    CLERK = "clerk", _("clerk")
    TENANT_ADMIN = "tenant_admin", _("tenant admin")
    OPERATOR = "operator", _("platform operator")
    SYSTEM = "system", _("system")
    LINK_HOLDER = "link_holder", _("applicant with an access link")


class Action(models.TextChoices):
    SUBMISSION_OPENED = "submission.opened", _("opened a submission")
    SUBMISSION_LISTED = "submission.listed", _("listed the inbox")
    SUBMISSION_FILE_DOWNLOADED = "submission.file_downloaded", _("downloaded a file")
    SUBMISSION_EXPORTED = "submission.exported", _("exported a submission")
    SUBMISSION_STATUS_CHANGED = "submission.status_changed", _("changed a submission's status")
    SUBMISSION_ASSIGNED = "submission.assigned", _("assigned a submission")
    SUBMISSION_MESSAGE_SENT = "submission.message_sent", _("sent a message")
    SUBMISSION_NOTE_ADDED = "submission.note_added", _("added an internal note")
    SUBMISSION_PURGED = "submission.purged", _("purged a submission (retention)")
    SUBMISSION_LINK_OPENED = "submission.link_opened", _("opened a submission by its access link")
    SUBMISSION_LINKS_REVOKED = "submission.links_revoked", _("withdrew a submission's access links")
    SUBMISSION_REPLIED = "submission.replied", _("replied to the office")
    SUBMISSION_CLAIMED = "submission.claimed", _("added a submission to their account")

    APPOINTMENT_DAY_VIEWED = "appointment.day_viewed", _("viewed the day's appointments")
    APPOINTMENT_BOOKED = "appointment.booked", _("booked an appointment")
    APPOINTMENT_RESCHEDULED = "appointment.rescheduled", _("moved an appointment")
    APPOINTMENT_CANCELLED = "appointment.cancelled", _("cancelled an appointment")
    APPOINTMENT_ARRIVED = "appointment.arrived", _("marked an appointment as arrived")
    APPOINTMENT_NO_SHOW = "appointment.no_show", _("marked an appointment as no-show")
    APPOINTMENT_DAY_CLOSED = "appointment.day_closed", _("closed an office for a day")

    PAYMENT_REFUNDED = "payment.refunded", _("refunded a payment")
    PAYMENT_RECONCILIATION_EXPORTED = (
        "payment.reconciliation_exported",
        _("exported the reconciliation"),
    )
    PAYMENT_VIEWED = "payment.viewed", _("viewed payments")

    FORM_CREATED = "form.created", _("created a form")
    FORM_EDITED = "form.edited", _("edited a form")
    FORM_VERSION_CREATED = "form.version_created", _("started a new form version")
    FORM_PUBLISHED = "form.published", _("published a form")
    FORM_WITHDRAWN = "form.withdrawn", _("withdrew a form")
    FORM_ADOPTED = "form.adopted", _("adopted a form template")

    SERVICE_ADOPTED = "service.adopted", _("adopted a service template")
    SERVICE_REFRESHED = "service.refreshed", _("refreshed a service from its template")
    SERVICE_PUBLISHED = "service.published", _("published a service")
    SERVICE_UNPUBLISHED = "service.unpublished", _("unpublished a service")
    SERVICE_SEARCH_TERMS_CHANGED = (
        "service.search_terms_changed",
        _("changed a service's search terms"),
    )
    PORTAL_SETTINGS_CHANGED = "portal.settings_changed", _("changed the portal settings")
    DATASOURCE_SAVED = "datasource.saved", _("saved a data source")
    DATASOURCE_TESTED = "datasource.tested", _("tested a data source")

    TENANT_CREATED = "tenant.created", _("created a tenant")
    TENANT_SUSPENDED = "tenant.suspended", _("suspended a tenant")
    TENANT_RESUMED = "tenant.resumed", _("resumed a tenant")
    TENANT_DELETED = "tenant.deleted", _("deleted a tenant")
    TENANT_EXPORTED = "tenant.exported", _("exported all of a tenant's data")
    TENANT_IMPORTED = "tenant.imported", _("restored a tenant from an export")
    TENANT_SENDER_CHANGED = "tenant.sender_changed", _("changed a tenant's sender address")
    TENANT_ONBOARDING_STARTED = "tenant.onboarding_started", _("started a tenant's onboarding")
    TENANT_ONBOARDED = "tenant.onboarded", _("completed a tenant's onboarding")
    TENANT_OFFBOARDING_STARTED = (
        "tenant.offboarding_started",
        _("started a tenant's offboarding"),
    )
    TENANT_LIFECYCLE_RESUMED = (
        "tenant.lifecycle_resumed",
        _("resumed a tenant's onboarding or offboarding"),
    )
    TENANT_MERCHANT_CONNECTED = (
        "tenant.merchant_account_connected",
        _("connected a payment account"),
    )
    TENANT_MERCHANT_DISCONNECTED = (
        "tenant.merchant_account_disconnected",
        _("disconnected a payment account"),
    )

    STAFF_INVITED = "staff.invited", _("invited a staff member")
    STAFF_INVITATION_SENT = "staff.invitation_sent", _("sent a staff invitation again")
    STAFF_INVITATION_ACCEPTED = "staff.invitation_accepted", _("accepted a staff invitation")
    STAFF_ROLE_CHANGED = "staff.role_changed", _("changed a staff member's role")
    STAFF_DEACTIVATED = "staff.deactivated", _("deactivated a staff member")
    STAFF_REACTIVATED = "staff.reactivated", _("reactivated a staff member")

    ACCOUNT_ADDRESS_CHANGED = (
        "account.address_changed",
        _("changed the postal address of their account"),
    )

    TENANT_MODULES_CHANGED = "tenant.modules_changed", _("switched modules on or off")
    TENANT_ALLOWED_MODULES_CHANGED = (
        "tenant.allowed_modules_changed",
        _("changed the modules a tenant's contract allows"),
    )
    INFRA_APPLIED = "infra.applied", _("applied the Terraform configuration")
    INFRA_DESTROYED = "infra.destroyed", _("destroyed the Terraform resources")
    INFRA_PLANNED = "infra.planned", _("planned the Terraform configuration (drift check)")
    MIGRATION_STARTED = "migration.started", _("started migrating tenant schemas")
    MIGRATION_FINISHED = "migration.finished", _("finished migrating tenant schemas")

    DELIVERY_RETRIED = "delivery.retried", _("tried a failed hand-over again")
    DELIVERY_RESENT = "delivery.resent", _("sent a delivered hand-over again")
    TARGET_ADDED = "target.added", _("added a hand-over target")
    TARGET_CHANGED = "target.changed", _("changed a hand-over target")
    TARGET_DEACTIVATED = "target.deactivated", _("switched a hand-over target off")
    TARGET_ACTIVATED = "target.activated", _("switched a hand-over target on")
    TARGET_CHECKED = "target.checked", _("checked a hand-over target's settings")
    TARGET_TESTED = "target.tested", _("sent a test to a hand-over target")

    RECORD_CREATED = "record.created", _("created a record in the back office")
    RECORD_CHANGED = "record.changed", _("changed a record in the back office")
    RECORD_DELETED = "record.deleted", _("deleted a record in the back office")

    AUDIT_EXPORTED = "audit.exported", _("exported the audit log")
    AUDIT_PURGED = "audit.purged", _("purged old audit entries (retention)")


# The kinds of object entries name, by their names (the log's filter and its rows).
OBJECT_TYPES = [
    ("submission", _("submission")),
    ("appointment", _("appointment")),
    ("office", _("office")),
    ("payment", _("payment")),
    ("form", _("form")),
    ("service", _("service")),
    ("portalsettings", _("portal settings")),
    ("tenant", _("tenant")),
    ("user", _("staff account")),
    ("infra", _("Terraform stack")),
    ("migrationrun", _("migration run")),
]
