"""Which modules (catalogue, forms, appointments, e-payment) the current tenant has switched on.

Every module's citizen-facing service functions call `require_module` first, so a switched-off
module refuses the same through every channel (pages, API, CLI) with the code `module_off`;
channels only translate that refusal (pages: 404, API: the error in the payload). Pages of a
module are wrapped in `page_requires`, which answers 404 before any work is done."""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from portalwerk.tenants.models import Module, Tenant

MODULE_OFF = "module_off"


class ModuleOff(ValidationError):
    def __init__(self, module: str):
        super().__init__(
            _("This part of the portal is not offered by this municipality."),
            code=MODULE_OFF,
            params={"module": str(module)},
        )


def _current_tenant() -> Tenant | None:
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Tenant):
        return tenant
    # a job or schema_context has only a stand-in with the schema name: read the tenant
    schema = getattr(connection, "schema_name", None)
    if not schema or schema == "public":
        return None
    return Tenant.objects.filter(schema_name=schema).first()


def is_on(module: Module | str) -> bool:
    """Whether the current tenant has `module` on. The public schema (the platform host) has
    no modules to switch and answers True."""
    tenant = _current_tenant()
    if tenant is None or tenant.schema_name == "public":
        return True
    return str(module) in (tenant.modules or [])


def require_module(module: Module | str) -> None:
    """Raise ModuleOff (code `module_off`) unless the current tenant has `module` on."""
    if not is_on(module):
        raise ModuleOff(module)


def page_requires(module: Module | str):
    """A view decorator: the page exists only for tenants with `module` on (else 404)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not is_on(module):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
