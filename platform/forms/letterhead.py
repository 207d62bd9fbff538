"""The tenant's letterhead on the papers a submission produces (the receipt): its name, its
logo or coat of arms when the portal has one, and the address and contact of the office
responsible for the form's service (or the tenant's first office)."""

from __future__ import annotations

from dataclasses import dataclass

from portalwerk.platform.forms.models import Submission


@dataclass(frozen=True)
class Letterhead:
    name: str
    office: str = ""
    address: tuple[str, ...] = ()
    contact: tuple[str, ...] = ()
    logo: bytes | None = None


def letterhead_for(submission: Submission, *, tenant_name: str, lang: str) -> Letterhead:
    from django.utils.translation import gettext as _

    from portalwerk.platform.catalog.models import Office, PortalSettings, Service

    office = None
    if submission.form.service_key:
        service = (
            Service.objects.select_related("office")
            .filter(slug=submission.form.service_key)
            .first()
        )
        office = service.office if service else None
    office = office or Office.objects.order_by("name_de").first()
    portal = PortalSettings.objects.only("logo", "logo_type").first()
    logo = bytes(portal.logo) if portal and portal.logo else None
    if office is None:
        return Letterhead(name=tenant_name, logo=logo)
    contact = []
    if office.phone:
        contact.append(_("Phone: %(phone)s") % {"phone": office.phone})
    if office.email:
        contact.append(_("Email: %(email)s") % {"email": office.email})
    name = (office.name_en if lang == "en" and office.name_en else office.name_de) or ""
    return Letterhead(
        name=tenant_name,
        office=name if name != tenant_name else "",
        address=tuple(p for p in (office.street, f"{office.postcode} {office.city}".strip()) if p),
        contact=tuple(contact),
        logo=logo,
    )
