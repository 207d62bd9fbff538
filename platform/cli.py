"""The `portalwerk` command. Its own subcommands (demo, setup, tenants, worker) give one-line
errors; anything else is handed to Django's management commands, so `python manage.py` and
`portalwerk` are the same thing."""

from __future__ import annotations

import argparse
import os
import sys

OWN_COMMANDS = {"demo", "setup", "tenants", "worker", "operator", "staff"}


class CommandError(Exception):
    """An error the user can fix; printed as one line, exit code 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise CommandError(message)


def build_parser() -> Parser:
    parser = Parser(prog="portalwerk", description="Portalwerk platform command")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    demo = sub.add_parser("demo", help="run the platform with demo tenants on embedded PostgreSQL")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--seed-only", action="store_true", help="seed the demo data and exit")

    sub.add_parser("setup", help="migrate the public schema, the template and every tenant")
    worker = sub.add_parser("worker", help="run the background job worker")
    worker.add_argument(
        "--queue",
        action="append",
        dest="queues",
        help="only this queue (repeatable); all by default",
    )

    operator = sub.add_parser("operator", help="platform operator accounts")
    op_sub = operator.add_subparsers(dest="action", required=True, parser_class=Parser)
    op_create = op_sub.add_parser("create")
    op_create.add_argument("--email", required=True)
    op_create.add_argument("--password", help="read from PORTALWERK_OPERATOR_PASSWORD if absent")

    tenants = sub.add_parser("tenants", help="create, list, suspend, resume, delete, migrate")
    t_sub = tenants.add_subparsers(dest="action", required=True, parser_class=Parser)
    create = t_sub.add_parser("create", help="onboard a tenant")
    create.add_argument("--name", required=True)
    create.add_argument("--slug", required=True)
    create.add_argument(
        "--kind", required=True, choices=["district", "municipality", "association"]
    )
    create.add_argument("--parent", metavar="SLUG")
    create.add_argument("--key", metavar="AGS", default="", help="municipality key (8) or ARS (12)")
    create.add_argument("--domain", action="append", default=[], metavar="HOST")
    create.add_argument("--admin-email", default="", help="invite this person as tenant admin")
    listing = t_sub.add_parser("list", help="list tenants")
    listing.add_argument("--json", action="store_true")
    for verb in ("suspend", "resume"):
        t_sub.add_parser(verb).add_argument("slug")
    delete = t_sub.add_parser("delete", help="offboard a tenant: drops its schema")
    delete.add_argument("slug")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    migrate = t_sub.add_parser("migrate", help="migrate every tenant schema that is behind")
    migrate.add_argument("--parallel", type=int, default=1, metavar="N")

    from portalwerk.platform import commands_staff

    commands_staff.add_tenant_parsers(t_sub)
    commands_staff.add_staff_parser(sub, Parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in OWN_COMMANDS | {"-h", "--help"}:
        return _django(argv)
    try:
        args = build_parser().parse_args(argv)
        if args.command == "demo":
            from portalwerk.platform import demo

            return demo.run(port=args.port, seed_only=args.seed_only)
        from portalwerk.platform import commands

        with commands.database():
            return commands.dispatch(args)
    except CommandError as exc:
        print(f"portalwerk: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _django(argv: list[str]) -> int:
    from portalwerk.platform import commands

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portalwerk.platform.settings")
    with commands.database():
        from django.core.management import execute_from_command_line

        execute_from_command_line(["portalwerk", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
