from django.db import models


class DeadLetterTally(models.Model):
    """How many of one tenant's hand-over deliveries failed for good, as that tenant's hand-over
    last counted them (after a delivery fails, after a clerk retries one, and in the five-minute
    sweep). Kept in public: readiness and metrics add these rows up instead of opening every
    tenant schema."""

    schema_name = models.CharField(max_length=63, unique=True)
    failed = models.PositiveIntegerField(default=0)
    counted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.schema_name}: {self.failed}"


class TenantActivity(models.Model):
    """That a tenant's portal served a request on a day (any visitor; probes do not count). One
    row per tenant and day, written at most once per process and day (`operations.activity`):
    the gauge of active tenants counts rows instead of keeping a series per tenant."""

    schema_name = models.CharField(max_length=63)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["schema_name", "day"], name="tenant_activity_once"),
        ]
        indexes = [models.Index(fields=["day"], name="tenant_activity_day")]

    def __str__(self) -> str:
        return f"{self.schema_name}: {self.day}"
