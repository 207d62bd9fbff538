"""`portalwerk tenants onboard|offboard|progress`: the tenant lifecycle (portalwerk.tenants.
lifecycle) from the terminal. Without `--wait` the job worker runs the steps; with it they run
in this process, each step printed as it starts and ends. Acting as the system job "cli"."""

from __future__ import annotations

import json
import sys

from portalwerk.platform.authz.actors import system
from portalwerk.platform.cli import CommandError, _


def add_lifecycle_parsers(t_sub) -> None:
    onboard = t_sub.add_parser(
        "onboard", help=_("onboard a tenant step by step, resumable (see `tenants progress`)")
    )
    onboard.add_argument("slug")
    onboard.add_argument("--name")
    onboard.add_argument("--kind", choices=["district", "municipality", "association"])
    onboard.add_argument("--parent", metavar="SLUG")
    onboard.add_argument(
        "--key", metavar="AGS", default="", help=_("municipality key (8) or ARS (12)")
    )
    onboard.add_argument("--domain", action="append", default=[], metavar="HOST")
    onboard.add_argument("--admin-email", default="", help=_("invite this person as tenant admin"))
    onboard.add_argument(
        "--demo-content",
        action="store_true",
        help=_("adopt the library's demo services, with demo offices and portal settings"),
    )
    offboard = t_sub.add_parser(
        "offboard", help=_("close a tenant's portal, export it, and delete it after a grace period")
    )
    offboard.add_argument("slug")
    offboard.add_argument(
        "--grace-days",
        type=int,
        metavar="N",
        help=_("days until the schema is dropped (default: PORTALWERK_OFFBOARDING_GRACE_DAYS)"),
    )
    for command in (onboard, offboard):
        command.add_argument(
            "--resume", action="store_true", help=_("go on with the unfinished run of SLUG")
        )
        command.add_argument(
            "--wait", action="store_true", help=_("run the steps here instead of in the worker")
        )
    progress = t_sub.add_parser("progress", help=_("the steps of a tenant's onboardings"))
    progress.add_argument("slug")
    progress.add_argument("--json", action="store_true")


def _line(step) -> str:
    text = f"  {step.position + 1}. {step.name:<10} {step.get_state_display()}"
    return f"{text}: {step.message}" if step.message else text


def _report(step) -> None:
    print(_line(step), flush=True)


def _finish(run) -> int:
    from portalwerk.tenants.models import RunState

    run.refresh_from_db()
    if run.state == RunState.FAILED:
        failed = run.steps.filter(state="failed").first()
        raise_text = failed.message if failed else run.get_state_display()
        print(
            _("%(kind)s of %(slug)s stopped: %(message)s Resume it with --resume.")
            % {
                "kind": run.get_kind_display().capitalize(),
                "slug": run.slug,
                "message": raise_text,
            },
            file=sys.stderr,
        )
        return 1
    print(
        _("%(kind)s of %(slug)s: %(state)s.")
        % {
            "kind": run.get_kind_display().capitalize(),
            "slug": run.slug,
            "state": run.get_state_display(),
        }
    )
    return 0


def _queued(run) -> int:
    print(
        _("%(kind)s of %(slug)s handed to the job worker; follow it with `portalwerk tenants "
          "progress %(slug)s`.") % {"kind": run.get_kind_display().capitalize(), "slug": run.slug}
    )  # fmt: skip
    for step in run.steps.order_by("position"):
        print(_line(step))
    return 0


def new_tenant_of(args):
    """The new tenant that `tenants create` and `tenants onboard` are given."""
    from portalwerk.tenants import services

    return services.NewTenant(
        name=args.name,
        slug=args.slug,
        kind=args.kind,
        parent_slug=args.parent,
        official_key=args.key,
        domains=args.domain,
        admin_email=args.admin_email,
    )


def run(args) -> int:
    from portalwerk.tenants import lifecycle

    if args.action == "progress":
        return _progress(args)
    actor = system("cli")
    report = _report if args.wait else None
    if args.resume:
        done = lifecycle.resume(actor=actor, slug=args.slug, wait=args.wait, report=report)
    elif args.action == "onboard":
        if not args.name or not args.kind:
            raise CommandError(_("--name and --kind are needed to onboard a new tenant"))
        done = lifecycle.start_onboarding(
            actor=actor,
            data=new_tenant_of(args),
            demo_content=args.demo_content,
            wait=args.wait,
            report=report,
        )
    else:
        done = lifecycle.start_offboarding(
            actor=actor, slug=args.slug, grace_days=args.grace_days, wait=args.wait, report=report
        )
    return _finish(done) if args.wait else _queued(done)


def _progress(args) -> int:
    from portalwerk.tenants import lifecycle

    runs = lifecycle.progress(args.slug)
    if not runs:
        raise CommandError(
            _("nothing was onboarded or offboarded as %(slug)s") % {"slug": args.slug}
        )
    if args.json:
        print(json.dumps([_as_dict(r) for r in runs], indent=2, ensure_ascii=False))
        return 0
    for found in runs:
        print(
            f"{found.get_kind_display()} {found.slug} ({found.started_at:%Y-%m-%d %H:%M}): "
            f"{found.get_state_display()}"
        )
        for step in found.steps.all():
            print(_line(step))
    return 0


def _as_dict(found) -> dict:
    return {
        "kind": found.kind,
        "state": found.state,
        "started_at": found.started_at.isoformat(),
        "finished_at": found.finished_at.isoformat() if found.finished_at else None,
        "purge_after": found.purge_after.isoformat() if found.purge_after else None,
        "steps": [
            {
                "name": s.name,
                "state": s.state,
                "attempts": s.attempts,
                "message": s.message,
            }
            for s in found.steps.all()
        ],
    }
