"""Onboarding and offboarding tenants as runs of recorded, resumable steps (DESIGN.md,
"Provisioning"; docs/operators/provisioning.md, "Lifecycle").

    start_onboarding(actor=, data=, demo_content=, wait=)   a new tenant, step by step
    start_offboarding(actor=, slug=, grace_days=, wait=)    close, export, destroy, later drop
    resume(actor=, slug=, wait=)                            the unfinished run, where it stopped
    progress(tenant_or_slug) -> [LifecycleRun]              newest first, `.steps.all()` in order
    purge_due()                                             offboardings past their grace period
"""

from portalwerk.tenants.lifecycle.queries import latest, progress
from portalwerk.tenants.lifecycle.services import (
    execute,
    purge_due,
    resume,
    start_offboarding,
    start_onboarding,
)

__all__ = [
    "execute",
    "latest",
    "progress",
    "purge_due",
    "resume",
    "start_offboarding",
    "start_onboarding",
]
