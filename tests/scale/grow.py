"""Growing the installation: tenants created through the ordinary service (which clones the
template schema), in batches, and the demo catalogue seeded into the tenants that get traffic."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

PREFIX = "scale-"


def slug(number: int) -> str:
    return f"{PREFIX}{number:05d}"


def existing() -> int:
    from portalwerk.tenants.models import Tenant

    return Tenant.objects.filter(slug__startswith=PREFIX).count()


def grow_to(count: int, *, batch: int, log: Callable[[str], None]) -> list[float]:
    """Create tenants until `count` exist; returns the creation times of the last batch (s).

    Each batch ends by closing the connection, as a web or job process recycles its own: one
    backend that touched thousands of schemas keeps their definitions in its memory.
    """
    from django.db import connections

    from portalwerk.platform.authz.actors import system
    from portalwerk.tenants import services

    have = existing()
    times: list[float] = []
    started = time.perf_counter()
    for first in range(have, count, batch):
        times = []
        for number in range(first, min(first + batch, count)):
            data = services.NewTenant(
                name=f"Gemeinde Skalierung {number + 1:05d}",
                slug=slug(number + 1),
                kind="municipality",
            )
            start = time.perf_counter()
            services.create_tenant(actor=system("scale"), data=data)
            times.append(time.perf_counter() - start)
        connections.close_all()
        done = min(first + batch, count)
        rate = (done - have) / (time.perf_counter() - started)
        left = (count - done) / rate if rate else 0.0
        log(
            f"  {done} tenants (batch mean {statistics.mean(times) * 1000:.0f} ms, "
            f"{left / 60:.1f} min left for this step)"
        )
    return times


def seeded(slugs: list[str]) -> list[str]:
    """Seed the demo catalogue into those of `slugs` that lack it; returns their hosts."""
    from django.db import connections
    from django_tenants.utils import schema_context

    from portalwerk.platform.catalog import demo
    from portalwerk.platform.catalog.models import Service
    from portalwerk.tenants import services
    from portalwerk.tenants.models import Tenant

    demo.seed_library()
    for index, tenant in enumerate(Tenant.objects.filter(slug__in=slugs).order_by("slug")):
        with schema_context(tenant.schema_name):
            has = Service.objects.filter(slug=SERVICE).exists()
        if not has:
            demo.seed_tenant(tenant, postcode=f"{10000 + index:05d}")
        if index % 100 == 99:
            connections.close_all()
    connections.close_all()
    return [services.tenant_host(name) for name in slugs]


#: the municipal service the page figures request, and a word its search finds
SERVICE = "wohnsitz-anmelden"
SEARCH = "Hundesteuer"
SEARCH_FINDS = "hundesteuer-anmelden"
