"""List reads of forms, for the portal and the catalogue.

The one cross-tenant read is `district_forms()`: a member municipality's portal sends citizens
to its district's forms (on the district's own host) for the services the district is
responsible for, instead of keeping copies that would land in the member's inbox."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django_tenants.utils import schema_context

from portalwerk.platform.catalog.queries import district_of
from portalwerk.platform.forms.models import Form, VersionStatus
from portalwerk.tenants.models import Module, Tenant


@dataclass(frozen=True)
class DistrictForm:
    slug: str
    title: dict
    description: dict
    url: str  # absolute, on the district's primary domain
    district: Tenant


def published_forms() -> QuerySet[Form]:
    return (
        Form.objects.filter(is_active=True, versions__status=VersionStatus.PUBLISHED)
        .distinct()
        .order_by("slug")
    )


def forms_for_service(service_key: str) -> QuerySet[Form]:
    """The forms a catalogue service links to (by the service's key)."""
    return published_forms().filter(service_key=service_key)


def district_forms(tenant: Tenant, *, slug: str | None = None) -> list[DistrictForm]:
    """The published forms of `tenant`'s district (only `slug`, when given), each with its
    start address on the district's portal. Empty without a district with forms on."""
    from portalwerk.tenants.current import tenant_url

    district = district_of(tenant)
    if district is None or Module.FORMS not in (district.modules or []):
        return []
    with schema_context(district.schema_name):
        forms = published_forms()
        if slug is not None:
            forms = forms.filter(slug=slug)
        rows = list(forms.values_list("slug", "title", "description"))
    return [
        DistrictForm(s, title, description, tenant_url(district, f"/forms/{s}/"), district)
        for s, title, description in rows
    ]
