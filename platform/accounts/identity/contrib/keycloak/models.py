"""Which portal session a Keycloak session opened, so that Keycloak's back-channel logout (which
names only its own session id, `sid`) can end it. Rows live in the public schema, since the one
back-channel URL of the realm's client serves every host; they name the tenant schema whose
session table holds the session."""

from django.db import models
from django.utils import timezone


class PortalSession(models.Model):
    sid = models.CharField(max_length=255, db_index=True)
    subject = models.CharField(max_length=255, db_index=True)
    schema_name = models.CharField(max_length=63)
    session_key = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="keycloak_session_created")]

    def __str__(self) -> str:
        return f"{self.schema_name}:{self.sid}"
