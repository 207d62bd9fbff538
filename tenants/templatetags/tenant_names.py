"""`{% tenant_name tenant "genitive" as name %}`: a tenant's name as a sentence needs it
(portalwerk.tenants.names); the one way templates put a tenant's name into a sentence."""

from django import template

from portalwerk.tenants import names

register = template.Library()


@register.simple_tag
def tenant_name(tenant, case: str = "nominative", lang: str = "", kind: str = "") -> str:
    if tenant is None:
        return ""
    return names.phrase(tenant, case, lang=lang or None, kind=kind)


@register.filter
def repeats_kind(tenant) -> bool:
    """True when the tenant's name already says its kind ("Stadt Musterstadt")."""
    return names.carries_designation(tenant)
