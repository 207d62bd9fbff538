from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin


class TenantKind(models.TextChoices):
    PLATFORM = "platform", _("platform")
    DISTRICT = "district", _("district")
    MUNICIPALITY = "municipality", _("municipality")
    ASSOCIATION = "association", _("association")


class TenantStatus(models.TextChoices):
    PROVISIONING = "provisioning", _("provisioning")
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    OFFBOARDING = "offboarding", _("offboarding")


class Module(models.TextChoices):
    CATALOG = "catalog", _("service catalogue")
    FORMS = "forms", _("forms")
    APPOINTMENTS = "appointments", _("appointments")
    PAYMENTS = "payments", _("e-payment")


def all_modules() -> list[str]:
    return list(Module.values)


class Tenant(TenantMixin):
    """A district, municipality or association with its own schema; `public` is the platform."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=48, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TenantKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    official_key = models.CharField(_("official key (AGS/ARS)"), max_length=12, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TenantStatus.choices, default=TenantStatus.PROVISIONING
    )
    modules = ArrayField(
        models.CharField(max_length=20, choices=Module.choices),
        verbose_name=_("modules switched on"),
        default=all_modules,
        blank=True,
    )
    mail_from = models.EmailField(
        _("sender address"),
        blank=True,
        help_text=_(
            "The address the portal's mails come from; empty means the installation's. Its "
            "domain must allow the installation's mail server to send (SPF, DKIM)."
        ),
    )
    # what the tenant's contract allows: its tenant admins may switch only these on (operators
    # set this; `modules` is always a subset)
    allowed_modules = ArrayField(
        models.CharField(max_length=20, choices=Module.choices),
        verbose_name=_("allowed modules"),
        default=all_modules,
        blank=True,
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed on"), auto_now=True)

    # Schemas are created and dropped by the tenant services, never implicitly by save()/delete().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        constraints = [
            models.UniqueConstraint(
                fields=["official_key"],
                condition=~models.Q(official_key=""),
                name="tenant_official_key_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="district") | models.Q(parent__isnull=True),
                name="district_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_platform(self) -> bool:
        return self.kind == TenantKind.PLATFORM

    @property
    def is_active(self) -> bool:
        return self.status == TenantStatus.ACTIVE


class Domain(DomainMixin):
    """A host name that routes to a tenant: `<slug>.<base domain>` or a custom domain."""

    class Meta:
        ordering = ["-is_primary", "domain"]

    def __str__(self) -> str:
        return self.domain


class MigrationRun(models.Model):
    """A migration of tenant schemas started from the operator console and run as a job
    (`tenants.upgrades`): which schemas it takes on, how far it got, when it ended. Who
    started it is in the audit trail."""

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # the schemas that were behind when the run was started (the template first)
    schemas = ArrayField(models.CharField(max_length=63), default=list, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("migration run")
        verbose_name_plural = _("migration runs")

    def __str__(self) -> str:
        return f"{self.pk}: {self.done}/{self.total}"

    @property
    def total(self) -> int:
        return len(self.schemas)


class MigrationOutcome(models.Model):
    """How migrating one schema in a run ended: `error` is one line, empty when it went
    through. The latest row of a schema is its last migrate result."""

    run = models.ForeignKey(MigrationRun, on_delete=models.CASCADE, related_name="outcomes")
    schema_name = models.CharField(max_length=63)
    finished_at = models.DateTimeField(default=timezone.now)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["schema_name", "-finished_at"], name="migration_outcome_last"),
        ]

    def __str__(self) -> str:
        return f"{self.schema_name}: {self.error or 'ok'}"


# Lifecycle: onboarding and offboarding as runs of recorded steps (portalwerk.tenants.lifecycle).
# Both live in the public schema and name the tenant by its slug as well, so that an offboarding
# run and the deletion record stay readable once the tenant's rows are gone.


class LifecycleKind(models.TextChoices):
    ONBOARD = "onboard", _("tenant onboarding")
    OFFBOARD = "offboard", _("tenant offboarding")


class RunState(models.TextChoices):
    RUNNING = "running", _("running")
    WAITING = "waiting", _("waiting for the grace period")
    FAILED = "failed", _("failed, can be resumed")
    DONE = "done", _("done")


class StepState(models.TextChoices):
    PENDING = "pending", _("pending")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    SKIPPED = "skipped", _("skipped")
    FAILED = "failed", _("failed")


class LifecycleRun(models.Model):
    slug = models.SlugField(_("slug"), max_length=48)
    tenant = models.ForeignKey(
        Tenant,
        verbose_name=_("tenant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lifecycle_runs",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LifecycleKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=RunState.choices, default=RunState.RUNNING
    )
    #: what the operator asked for (the new tenant's data, the grace period): no personal data
    #: beyond the first admin's address, which the invitation step needs on a resume
    options = models.JSONField(_("options"), default=dict, blank=True)
    #: who started it, as the audit trail names actors ("operator 12", "system cli")
    started_by = models.CharField(_("started by"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("started on"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished on"), null=True, blank=True)
    #: offboarding: the schema is dropped from then on
    purge_after = models.DateTimeField(_("deleted from"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("lifecycle run")
        verbose_name_plural = _("lifecycle runs")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "kind"],
                condition=~models.Q(state="done"),
                name="one_open_lifecycle_run_per_slug_and_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.slug}"


# What each step is called where people read it (the code's names are the steps' keys).
STEP_LABELS = {
    "record": _("Tenant record"),
    "terraform": _("Terraform (Keycloak)"),
    "schema": _("Schema from the template"),
    "content": _("Templates and demo content"),
    "admin": _("First tenant admin invited"),
    "activate": _("Active"),
    "close": _("Portal closed"),
    "export": _("Complete export"),
    "purge": _("Schema dropped after the grace period"),
}


class LifecycleStep(models.Model):
    run = models.ForeignKey(LifecycleRun, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.SlugField(_("step"), max_length=30)
    state = models.CharField(
        _("state"), max_length=10, choices=StepState.choices, default=StepState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started on"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished on"), null=True, blank=True)
    #: one readable line: what was done, why it was skipped, or what went wrong
    message = models.CharField(_("message"), max_length=500, blank=True)

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="lifecycle_step_position")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.state}"

    @property
    def label(self) -> str:
        return str(STEP_LABELS.get(self.name, self.name))


class TenantDeletion(models.Model):
    """What remains of an offboarded tenant: who it was, when and by whom it was deleted, and
    which export holds its data (file name and SHA-256, row counts from its manifest)."""

    slug = models.SlugField(_("slug"), max_length=48)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TenantKind.choices)
    official_key = models.CharField(_("official key (AGS/ARS)"), max_length=12, blank=True)
    deleted_at = models.DateTimeField(_("deleted on"), auto_now_add=True)
    deleted_by = models.CharField(_("deleted by"), max_length=100, blank=True)
    offboarding_started_by = models.CharField(_("offboarding started by"), max_length=100)
    export_file = models.CharField(_("export file"), max_length=255, blank=True)
    export_sha256 = models.CharField(_("export SHA-256"), max_length=64, blank=True)
    counts = models.JSONField(_("rows exported"), default=dict, blank=True)
    run = models.OneToOneField(
        LifecycleRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="deletion"
    )

    class Meta:
        ordering = ["-deleted_at"]
        verbose_name = _("tenant deletion")
        verbose_name_plural = _("tenant deletions")

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"
