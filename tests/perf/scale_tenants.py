"""Many tenants, made quickly for tests and benchmarks of what grows with their number: each
schema is a clone of the template (what a real tenant's schema is) and the tenant rows are
inserted in bulk, without domains, audit entries or provisioning."""

from __future__ import annotations


def schema_of(prefix: str, number: int) -> str:
    return f"t_{prefix}_{number:05d}"


def add_cheap_tenants(prefix: str, count: int, log=None) -> list[str]:
    """Ensure tenants `<prefix>-00000` … exist, `count` of them; their schema names."""
    from portalwerk.tenants import schemas
    from portalwerk.tenants.cloning import clone_schema
    from portalwerk.tenants.models import Tenant, TenantStatus

    schemas.ensure_template()
    have = set(
        Tenant.objects.filter(slug__startswith=f"{prefix}-").values_list("schema_name", flat=True)
    )
    made = []
    for number in range(count):
        name = schema_of(prefix, number)
        if name not in have:
            clone_schema(schemas.TEMPLATE_SCHEMA, name)
            made.append(
                Tenant(
                    schema_name=name,
                    name=f"Scale {number:05d}",
                    slug=f"{prefix}-{number:05d}",
                    kind="municipality",
                    status=TenantStatus.ACTIVE,
                )
            )
            if log and len(made) % 250 == 0:
                log(f"  {len(have) + len(made)} {prefix} tenants")
    Tenant.objects.bulk_create(made, batch_size=500)
    return [schema_of(prefix, n) for n in range(count)]


def remove_cheap_tenants(prefix: str) -> None:
    from django.db import connection

    from portalwerk.tenants.models import Tenant

    rows = Tenant.objects.filter(slug__startswith=f"{prefix}-")
    for name in rows.values_list("schema_name", flat=True):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(name)} CASCADE")
    rows.delete()
