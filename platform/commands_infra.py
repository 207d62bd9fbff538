"""`portalwerk infra plan|apply|destroy [SLUG]` and `portalwerk infra drift`: the installation's
Terraform (portalwerk.infra) from the terminal. Without a slug the identity stack (realm, client)
is meant. A plan is shown before anything is applied or destroyed; a Terraform failure is one
line plus the path of the full log."""

from __future__ import annotations

import sys
import time

from django.utils.translation import gettext as _

from portalwerk.platform import env
from portalwerk.platform.authz.actors import system

SIGNS = {"create": "+", "update": "~", "delete": "-", "replace": "-/+"}


def add_infra_parser(sub, parser_class, _) -> None:
    """`_` is the command line's own gettext: the parser speaks before Django is set up."""
    infra = sub.add_parser("infra", help=_("plan and apply the installation's Terraform"))
    i_sub = infra.add_subparsers(dest="action", required=True, parser_class=parser_class)
    for verb, words in (
        ("plan", _("show what applying would change")),
        ("apply", _("show the plan, then apply it")),
        ("destroy", _("show what would be destroyed, then destroy it")),
    ):
        command = i_sub.add_parser(verb, help=words)
        command.add_argument("slug", nargs="?", help=_("a tenant; none: the identity stack"))
        if verb != "plan":
            command.add_argument("--yes", action="store_true", help=_("do not ask"))
    i_sub.add_parser("drift", help=_("list stacks whose resources were changed outside Terraform"))


def _show(name: str, plan) -> None:
    print(
        _("%(name)s: %(add)d to add, %(change)d to change, %(destroy)d to destroy")
        % {"name": name, "add": plan.add, "change": plan.change, "destroy": plan.destroy}
    )
    for change in plan.changes:
        print(f"  {SIGNS.get(change.action, '?')} {change.address}")


def _confirmed(args) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        print(_("Not applied: run it in a terminal to confirm, or add --yes."))
        return False
    return input(_("Go ahead? [y/N] ")).strip().lower() in {"y", "j", "yes", "ja"}


def _log_file(log: str) -> str:
    folder = env.home() / "terraform" / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{time.strftime('%Y%m%d-%H%M%S')}.log"
    path.write_text(log)
    return str(path)


def infra(args) -> int:
    from portalwerk.infra import services
    from portalwerk.infra.errors import InfraError
    from portalwerk.platform.cli import CommandError

    name = args.slug if getattr(args, "slug", None) else "identity"
    try:
        if args.action == "drift":
            found = services.drift()
            for stack, plan in found.items():
                _show(stack, plan)
            if not found:
                print(_("Every stack matches its resources."))
            return 1 if found else 0
        planned = services.plan(args.slug, destroy=args.action == "destroy")
        _show(name, planned)
        if args.action == "plan" or planned.in_sync or not _confirmed(args):
            return 0
        actor = system("cli")
        done = (services.apply if args.action == "apply" else services.destroy)(
            actor=actor, slug=args.slug
        )
        _show(name, done)
        client = services.tenant_client(args.slug) if args.slug and args.action == "apply" else None
        if client is not None:
            print(
                _("%(name)s: client %(client_id)s, its secret: %(reference)s")
                % {
                    "name": name,
                    "client_id": client.client_id,
                    "reference": client.secret_reference,
                }
            )
        return 0
    except InfraError as exc:
        where = _("full log: %(path)s") % {"path": _log_file(exc.log)} if exc.log else ""
        raise CommandError(f"{exc.message} {where}".strip()) from None
