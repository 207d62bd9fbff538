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
