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
