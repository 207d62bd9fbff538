from django.db import models


class Counter(models.Model):
    """Hits per (kind, key) in one fixed window, counted in PostgreSQL so that every process and
    machine sees the same number (the only cache is a per-process LocMem). The key is a keyed
    hash of the IP or email address, never the address itself. A kind always uses the same
    window length. Rows are written by `ratelimits.hit` with raw SQL, not through the ORM."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "window_start"], name="ratelimits_counter_window"
            ),
        ]
        indexes = [models.Index(fields=["expires_at"], name="ratelimits_counter_expires")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key[:8]} {self.window_start:%Y-%m-%d %H:%M} {self.count}"
