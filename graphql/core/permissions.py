"""Who may call a root field. Every Query and Mutation field names one of these; a test walks both
schemas and fails on a field without one (`undeclared_root_fields`).

Sessions are per schema (a user row lives in one tenant's schema or in `public`), so the user of a
request is already a user of the host's tenant. The classes still check the host's kind, so that a
permission never depends on which URL configuration happened to mount a schema. What a role
may do is asked of `portalwerk.platform.authz.capabilities`, like everywhere else.
"""

from __future__ import annotations

from typing import Any

from django_tenants.utils import get_public_schema_name
from strawberry import Info
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.schema import Schema

from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor, actor_for

NOT_ALLOWED = "You are not allowed to do this."


def _actor(info: Info) -> Actor:
    return actor_for(info.context.request)


def _on_platform_host(info: Info) -> bool:
    tenant = getattr(info.context.request, "tenant", None)
    return tenant is not None and tenant.schema_name == get_public_schema_name()


class AllowAnonymous(BasePermission):
    """Open to everyone, signed in or not: an operation anonymous citizens may call, on purpose."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return True


class IsSignedIn(BasePermission):
    message = "Sign in to do this."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        actor = _actor(info)
        return actor.is_signed_in and actor.is_active


class IsClerk(BasePermission):
    """Staff of the host's tenant (clerk reader or processor, tenant admin)."""

    message = NOT_ALLOWED

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return capabilities.can_use_backoffice(_actor(info)) and not _on_platform_host(info)


class IsOperator(BasePermission):
    """A platform operator, on the platform (base) host only."""

    message = NOT_ALLOWED

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return capabilities.can_operate_platform(_actor(info)) and _on_platform_host(info)


def declared_permissions(field) -> list[BasePermission]:
    return [
        permission
        for extension in field.extensions
        if isinstance(extension, PermissionExtension)
        for permission in extension.permissions
    ]


def undeclared_root_fields(schema: Schema) -> list[str]:
    """`Type.field` for every Query/Mutation/Subscription field without a permission class."""
    missing = []
    for root in (schema.query, schema.mutation, schema.subscription):
        if root is None:
            continue
        definition = root.__strawberry_definition__
        for field in definition.fields:
            if not declared_permissions(field):
                name = schema.config.name_converter.get_graphql_name(field)
                missing.append(f"{definition.name}.{name}")
    return missing
