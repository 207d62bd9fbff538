"""Background jobs on procrastinate, with the tenant passed explicitly.

A tenant job takes the tenant's schema name as its first argument and sets it itself, so no
"current tenant" can leak from one job into the next. `defer_for_tenant` uses Django's own
connection, so the job is deferred inside the caller's transaction: rolled back with it, and
visible to workers only once the write that caused it has committed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db import connection
from django_tenants.utils import schema_context
from procrastinate.contrib.django import app

from portalwerk.platform.audit import context as audit_context


def tenant_task(**task_options) -> Callable:
    """Declare a job that runs inside one tenant's schema: `@tenant_task(queue="mail")`."""

    def decorator(func: Callable) -> Callable:
        name = task_options.pop("name", f"{func.__module__}.{func.__name__}")

        @functools.wraps(func)
        def run_in_schema(schema_name: str, **kwargs):
            from portalwerk.tenants.models import Tenant

            with schema_context("public"):
                if not Tenant.objects.filter(schema_name=schema_name).exists():
                    return None  # the tenant was offboarded meanwhile: nothing to do
            # a job has its own id in the audit trail, as a request has
            with schema_context(schema_name), audit_context.using(audit_context.new_id("job-")):
                return func(**kwargs)

        return app.task(name=name, **task_options)(run_in_schema)

    return decorator


def defer_for_tenant(task, **kwargs) -> int:
    """Defer `task` for the tenant whose schema is active now, in the current transaction."""
    schema = connection.schema_name
    if schema == "public":
        raise RuntimeError("defer_for_tenant needs a tenant schema to be active")
    return task.defer(schema_name=schema, **kwargs)
