"""List reads of forms, for the portal and the catalogue."""

from __future__ import annotations

from django.db.models import QuerySet

from portalwerk.platform.forms.models import Form, VersionStatus


def published_forms() -> QuerySet[Form]:
    return (
        Form.objects.filter(is_active=True, versions__status=VersionStatus.PUBLISHED)
        .distinct()
        .order_by("slug")
    )


def forms_for_service(service_key: str) -> QuerySet[Form]:
    """The forms a catalogue service links to (by the service's key)."""
    return published_forms().filter(service_key=service_key)
