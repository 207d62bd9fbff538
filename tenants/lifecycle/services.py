"""What the CLI, the operator console and the jobs call to onboard and offboard tenants.

`start_onboarding` and `start_offboarding` check the input, write the run with its steps (all
pending) and audit the operator's action; `resume` picks an unfinished run up again. Each hands
the run to the job worker (`tenants.tasks.run_lifecycle`, deferred in the same transaction), or
with `wait=True` runs its steps right here (the CLI's `--wait`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor, system
from portalwerk.platform.error_codes import code_error
from portalwerk.tenants import services
from portalwerk.tenants.errors import TenantErrorCode as Code
from portalwerk.tenants.lifecycle import offboard, onboard, runner
from portalwerk.tenants.models import (
    LifecycleKind,
    LifecycleRun,
    LifecycleStep,
    RunState,
    Tenant,
    TenantStatus,
)
from portalwerk.tenants.upgrades import require_operator

STEPS = {LifecycleKind.ONBOARD: onboard.STEPS, LifecycleKind.OFFBOARD: offboard.STEPS}
Report = Callable[[LifecycleStep], None]


def _open_run(slug: str, kind: str | None = None) -> LifecycleRun | None:
    runs = LifecycleRun.objects.filter(slug=slug).exclude(state=RunState.DONE)
    if kind:
        runs = runs.filter(kind=kind)
    return runs.order_by("-started_at", "-id").first()


def _under_way(run: LifecycleRun) -> Exception:
    return code_error(
        Code.LIFECYCLE_UNDER_WAY,
        _("The %(kind)s of %(slug)s is under way already; resume it instead.")
        % {"kind": run.get_kind_display(), "slug": run.slug},
        "slug",
    )


def _new_run(*, actor: Actor, kind: str, slug: str, tenant=None, **fields) -> LifecycleRun:
    run = LifecycleRun.objects.create(
        kind=kind, slug=slug, tenant=tenant, started_by=offboard.actor_text(actor), **fields
    )
    LifecycleStep.objects.bulk_create(
        LifecycleStep(run=run, position=index, name=step.name)
        for index, step in enumerate(STEPS[kind])
    )
    return run


def start_onboarding(
    *, actor: Actor, data: services.NewTenant, demo_content: bool = False, wait: bool = False,
    report: Report | None = None,
) -> LifecycleRun:  # fmt: skip
    """Check `data` as tenant creation does (every problem at once), then onboard."""
    require_operator(actor)
    with transaction.atomic():
        if data.slug and (found := _open_run(data.slug, LifecycleKind.ONBOARD)):
            raise _under_way(found)
        services.validate_new_tenant(data)
        run = _new_run(
            actor=actor,
            kind=LifecycleKind.ONBOARD,
            slug=data.slug,
            options=onboard.options_of(data, demo_content=demo_content),
        )
        record(
            actor, Action.TENANT_ONBOARDING_STARTED, object_type="tenant", object_id=data.slug,
            kind=data.kind, demo_content=demo_content,
        )  # fmt: skip
        if not wait:
            _defer(run)
    return execute(run, actor=actor, report=report) if wait else run


def start_offboarding(
    *, actor: Actor, slug: str, grace_days: int | None = None, wait: bool = False,
    report: Report | None = None,
) -> LifecycleRun:  # fmt: skip
    """Close the tenant's portal, export it, destroy its Terraform, and drop it after
    `grace_days` (default PORTALWERK_OFFBOARDING_GRACE_DAYS)."""
    require_operator(actor)
    days = settings.PORTALWERK_OFFBOARDING_GRACE_DAYS if grace_days is None else grace_days
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 3650:
        raise code_error(
            Code.INVALID_GRACE_PERIOD,
            _("The grace period is a number of days from 0 to 3650."),
            "grace_days",
        )
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=services.get_tenant(slug).pk)
        if found := _open_run(slug, LifecycleKind.OFFBOARD):
            raise _under_way(found)
        members = list(tenant.members.values_list("slug", flat=True))
        if members:
            raise code_error(
                Code.HAS_MEMBERS,
                _("%(name)s still has member municipalities: %(members)s.")
                % {"name": tenant.name, "members": ", ".join(members)},
                "slug",
            )
        if tenant.status == TenantStatus.PROVISIONING and _open_run(slug, LifecycleKind.ONBOARD):
            raise code_error(
                Code.INVALID_STATUS,
                _("%(name)s is still being onboarded; resume or finish that first.")
                % {"name": tenant.name},
                "slug",
            )
        run = _new_run(
            actor=actor,
            kind=LifecycleKind.OFFBOARD,
            slug=slug,
            tenant=tenant,
            options={"grace_days": days},
            purge_after=timezone.now() + dt.timedelta(days=days),
        )
        record(actor, Action.TENANT_OFFBOARDING_STARTED, tenant, grace_days=days)
        if not wait:
            _defer(run)
    return execute(run, actor=actor, report=report) if wait else run


def resume(
    *, actor: Actor, slug: str, wait: bool = False, report: Report | None = None
) -> LifecycleRun:
    """Pick up the unfinished onboarding or offboarding of `slug` where it stopped."""
    require_operator(actor)
    with transaction.atomic():
        run = _open_run(slug)
        if run is None:
            raise code_error(
                Code.NOTHING_TO_RESUME,
                _("There is no unfinished onboarding or offboarding of %(slug)r.") % {"slug": slug},
                "slug",
            )
        record(
            actor, Action.TENANT_LIFECYCLE_RESUMED, object_type="tenant", object_id=slug,
            kind=run.kind,
        )  # fmt: skip
        if not wait:
            _defer(run)
    return execute(run, actor=actor, report=report) if wait else run


def execute(
    run: LifecycleRun, *, actor: Actor | None = None, report: Report | None = None
) -> LifecycleRun:
    """Run the steps of `run` here: as `actor` when the operator waits for them (`wait=True`),
    as the system job "lifecycle" in the worker (the operator who asked is in the audit trail's
    start entry and in `run.started_by`)."""
    try:
        return runner.execute(
            run, STEPS[run.kind], actor=actor or system("lifecycle"), report=report
        )
    except runner.Busy:
        raise code_error(
            Code.LIFECYCLE_BUSY,
            _("The %(kind)s of %(slug)s is running in another process right now.")
            % {"kind": run.get_kind_display(), "slug": run.slug},
            "slug",
        ) from None


def purge_due(*, now: dt.datetime | None = None) -> list[str]:
    """Finish every offboarding whose grace period is over (the periodic job); their slugs."""
    now = now or timezone.now()
    finished = []
    due = LifecycleRun.objects.filter(
        kind=LifecycleKind.OFFBOARD, state=RunState.WAITING, purge_after__lte=now
    )
    for run in due.order_by("purge_after"):
        try:
            done = execute(run)
        except Exception:  # noqa: BLE001 - busy elsewhere, or failed: recorded on its step
            continue
        if done.state == RunState.DONE:
            finished.append(run.slug)
    return finished


def _defer(run: LifecycleRun) -> None:
    from portalwerk.tenants.tasks import run_lifecycle

    run_lifecycle.defer(run_id=run.pk)
