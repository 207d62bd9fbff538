"""What the console and the CLI show of a tenant's onboardings and offboardings."""

from __future__ import annotations

from django.db.models import Prefetch

from portalwerk.tenants.models import LifecycleRun, LifecycleStep, Tenant


def progress(tenant_or_slug: Tenant | str) -> list[LifecycleRun]:
    """The runs of a tenant (newest first), each with `.steps.all()` in order: one query for
    the runs and one for their steps. A slug finds the runs of an offboarded tenant too."""
    slug = tenant_or_slug.slug if isinstance(tenant_or_slug, Tenant) else tenant_or_slug
    steps = Prefetch("steps", queryset=LifecycleStep.objects.order_by("position"))
    return list(
        LifecycleRun.objects.filter(slug=slug)
        .order_by("-started_at", "-id")
        .prefetch_related(steps)
    )


def latest(tenant_or_slug: Tenant | str) -> LifecycleRun | None:
    runs = progress(tenant_or_slug)
    return runs[0] if runs else None
