"""Writes on a tenant's catalogue. The back office, the CLI and the demo seeding call these."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record, record_many
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.catalog import pagecache
from portalwerk.platform.catalog.models import SETTINGS_CACHE_KEY, PortalSettings, Service
from portalwerk.platform.library.errors import CatalogErrorCode as Code
from portalwerk.platform.library.models import CONTENT_FIELDS, ServiceTemplate

MAX_LOGO_BYTES = 200 * 1024
LOGO_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def _template(key: str) -> ServiceTemplate:
    template = ServiceTemplate.objects.filter(key=key).first()
    if template is None:
        raise ValidationError(
            _("There is no template %(key)s in the library.") % {"key": key},
            code=Code.TEMPLATE_NOT_FOUND,
        )
    return template


def _free_slug(base: str) -> str:
    base = slugify(base)[:100] or "service"
    slug, n = base, 2
    while Service.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def adopt_template(*, actor: Actor, key: str) -> Service:
    """Copy a library template into the current tenant as an unpublished service the clerk can
    adapt; it remembers the template's key and version."""
    template = _template(key)
    with transaction.atomic():
        service = Service(
            slug=_free_slug(template.name_de),
            library_key=template.key,
            library_version=template.version,
            is_published=False,
        )
        for name in CONTENT_FIELDS:
            setattr(service, name, getattr(template, name))
        service.full_clean()
        service.save()
        record(actor, Action.SERVICE_ADOPTED, service, template=template.key)
    pagecache.bump()
    return service


def refresh_from_template(*, actor: Actor, service: Service) -> Service:
    """Replace the service's description with the library's current version (the clerk's own
    fields — office, links, categories, fee budget line, publishing — stay as they are)."""
    if not service.library_key:
        raise ValidationError(
            _("%(name)s was not adopted from the library.") % {"name": service.name_de},
            code=Code.NOT_ADOPTED,
        )
    template = _template(service.library_key)
    with transaction.atomic():
        for name in CONTENT_FIELDS:
            setattr(service, name, getattr(template, name))
        service.library_version = template.version
        service.full_clean()
        service.save()
        record(actor, Action.SERVICE_REFRESHED, service, version=template.version)
    pagecache.bump()
    return service


def library_changed(service: Service) -> bool:
    """True when the library's template has a newer version than the one the copy came from."""
    current = getattr(service, "library_current_version", None)
    if current is None and service.library_key:
        current = (
            ServiceTemplate.objects.filter(key=service.library_key)
            .values_list("version", flat=True)
            .first()
        )
    return bool(service.library_key and current and current > (service.library_version or 0))


def sniff_logo(data: bytes) -> str:
    """The logo's content type from its first bytes (PNG or JPEG), never from its name."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(
            _("The logo is larger than 200 KB; please upload a smaller image."),
            code=Code.INVALID_LOGO,
        )
    for signature, content_type in LOGO_SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    raise ValidationError(
        _("The logo must be a PNG or JPEG image."),
        code=Code.INVALID_LOGO,
    )


def save_portal_settings(
    *, actor: Actor, settings: PortalSettings, logo: bytes | None = None, remove_logo: bool = False
) -> PortalSettings:
    """Branding and legal pages. The colour is checked for WCAG AA contrast by the model."""
    if logo is not None:
        settings.logo_type = sniff_logo(logo)
        settings.logo = logo
    elif remove_logo:
        settings.logo, settings.logo_type = None, ""
    settings.full_clean()
    with transaction.atomic():
        existing = PortalSettings.objects.select_for_update().first()
        if existing is not None and existing.pk != settings.pk:
            settings.pk = existing.pk
        settings.save()
        record(
            actor,
            Action.PORTAL_SETTINGS_CHANGED,
            settings,
            logo="new" if logo is not None else "removed" if remove_logo else "kept",
        )
        cache.delete(SETTINGS_CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(SETTINGS_CACHE_KEY))
    pagecache.bump()
    return settings


# --- publishing and the anonymous page cache ----------------------------------------------------


def catalogue_changed(*, actor: Actor) -> None:
    """Make the public pages current after any change of the catalogue (the cached anonymous
    pages of this tenant are forgotten). Every catalogue write ends with it; the back office
    calls it after the saves and deletes Django's admin does itself."""
    pagecache.bump()


def publish_services(*, actor: Actor, service_ids: Sequence[int]) -> int:
    """Show these services to citizens; how many there were."""
    return _set_published(actor=actor, service_ids=service_ids, published=True)


def unpublish_services(*, actor: Actor, service_ids: Sequence[int]) -> int:
    """Take these services off the public pages (search, lists, their own page); how many."""
    return _set_published(actor=actor, service_ids=service_ids, published=False)


def publish_service(*, actor: Actor, service: Service) -> Service:
    publish_services(actor=actor, service_ids=[service.pk])
    service.refresh_from_db(fields=["is_published"])
    return service


def unpublish_service(*, actor: Actor, service: Service) -> Service:
    unpublish_services(actor=actor, service_ids=[service.pk])
    service.refresh_from_db(fields=["is_published"])
    return service


def _set_published(*, actor: Actor, service_ids: Sequence[int], published: bool) -> int:
    """One audit entry per service that changed hands between public and hidden."""
    capabilities.require(actor, capabilities.Capability.MANAGE_SETTINGS)
    action = Action.SERVICE_PUBLISHED if published else Action.SERVICE_UNPUBLISHED
    with transaction.atomic():
        ids = list(Service.objects.filter(pk__in=list(service_ids)).values_list("pk", flat=True))
        Service.objects.filter(pk__in=ids).update(is_published=published)
        record_many(actor, action, [("service", pk) for pk in ids])
    catalogue_changed(actor=actor)
    return len(ids)


# --- search terms -------------------------------------------------------------------------------

MAX_SEARCH_TERMS = 30
MAX_SEARCH_TERM_LENGTH = 60


def clean_search_terms(text: str | Sequence[str]) -> list[str]:
    """One term per line (or comma), trimmed, each once (ignoring case), in the given order."""
    lines = text.replace(",", "\n").splitlines() if isinstance(text, str) else list(text)
    terms: list[str] = []
    for line in lines:
        term = " ".join(str(line).split())
        if term and term.casefold() not in {t.casefold() for t in terms}:
            terms.append(term)
    too_long = [t for t in terms if len(t) > MAX_SEARCH_TERM_LENGTH]
    if too_long:
        raise ValidationError(
            {
                "search_terms": ValidationError(
                    _("A search term has at most %(max)s characters: %(term)s")
                    % {"max": MAX_SEARCH_TERM_LENGTH, "term": too_long[0][:80]},
                    code=Code.SEARCH_TERM_TOO_LONG,
                )
            }
        )
    if len(terms) > MAX_SEARCH_TERMS:
        raise ValidationError(
            {
                "search_terms": ValidationError(
                    _("A service has at most %(max)s search terms; these are %(count)s.")
                    % {"max": MAX_SEARCH_TERMS, "count": len(terms)},
                    code=Code.TOO_MANY_SEARCH_TERMS,
                )
            }
        )
    return terms


def set_search_terms(*, actor: Actor, service: Service, terms: str | Sequence[str]) -> Service:
    """The words people use for the service ("Flurkarte", "Kataster"), which the portal search
    matches like its name. Audited with the number of terms (the terms are no personal data,
    but the entry names no content either)."""
    capabilities.require(actor, capabilities.Capability.MANAGE_SETTINGS)
    cleaned = "\n".join(clean_search_terms(terms))
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        if locked.search_terms != cleaned:
            locked.search_terms = cleaned
            locked.save(update_fields=["search_terms", "updated_at"])
            record(
                actor,
                Action.SERVICE_SEARCH_TERMS_CHANGED,
                locked,
                terms=len(cleaned.splitlines()),
            )
    service.search_terms = cleaned
    catalogue_changed(actor=actor)
    return service
