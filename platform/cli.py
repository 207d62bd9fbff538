"""The `portalwerk` command. Its own subcommands (demo, setup, tenants, worker) give one-line
errors; anything else is handed to Django's management commands, so `python manage.py` and
`portalwerk` are the same thing."""

from __future__ import annotations

import argparse
import gettext as gnu_gettext
import os
import sys
from functools import cache
from pathlib import Path

from django.db.utils import DatabaseError

LOCALE = Path(__file__).resolve().parent / "locale"
OWN_COMMANDS = {"demo", "setup", "tenants", "worker", "operator", "staff", "infra"}


def terminal_language() -> str:
    """The terminal's language as its locale says: German or English. Any other locale (C,
    POSIX, fr_FR) gets English, the language of the other tools in such a terminal."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "de" if value[:2].lower() == "de" else "en"
    return "en"


@cache
def _catalogue() -> gnu_gettext.NullTranslations:
    # Our own Django catalogue, read without Django: the parser speaks before the database
    # (and so Django's settings) is there. Django is switched to the same language later.
    return gnu_gettext.translation(
        "django", localedir=LOCALE, languages=[terminal_language()], fallback=True
    )


def _(message: str) -> str:
    return _catalogue().gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue().ngettext(singular, plural, n)


def _speak_terminal_language() -> None:
    # argparse looks its messages up through these module globals at call time (its way of
    # being translated); ours are in our catalogue, listed below so makemessages keeps them.
    argparse._ = _
    argparse.ngettext = _ngettext


def gettext_noop(message: str) -> str:
    return message


ARGPARSE_MESSAGES = (
    gettext_noop("usage: "),
    gettext_noop("positional arguments"),
    gettext_noop("options"),
    gettext_noop("show this help message and exit"),
    gettext_noop("the following arguments are required: %s"),
    gettext_noop("unrecognized arguments: %s"),
    gettext_noop("argument %(argument_name)s: %(message)s"),
    gettext_noop("invalid choice: %(value)r (choose from %(choices)s)"),
    gettext_noop("invalid %(type)s value: %(value)r"),
    gettext_noop("expected one argument"),
    gettext_noop("ambiguous option: %(option)s could match %(matches)s"),
    gettext_noop("unknown parser %(parser_name)r (choices: %(choices)s)"),
    gettext_noop("subcommands"),
)


class CommandError(Exception):
    """An error the user can fix; printed as one line, exit code 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise CommandError(message)


def build_parser() -> Parser:
    parser = Parser(prog="portalwerk", description=_("Portalwerk platform command"))
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    demo = sub.add_parser(
        "demo", help=_("run the platform with demo tenants on embedded PostgreSQL")
    )
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--seed-only", action="store_true", help=_("seed the demo data and exit"))

    sub.add_parser("setup", help=_("migrate the public schema, the template and every tenant"))
    worker = sub.add_parser("worker", help=_("run the background job worker"))
    worker.add_argument(
        "--queue",
        action="append",
        dest="queues",
        help=_("only this queue (repeatable); all by default"),
    )
    worker.add_argument(
        "--check",
        action="store_true",
        help=_("say whether the worker on this machine is alive (exit code 1 if not), and exit"),
    )

    operator = sub.add_parser("operator", help=_("platform operator accounts"))
    op_sub = operator.add_subparsers(dest="action", required=True, parser_class=Parser)
    op_create = op_sub.add_parser("create")
    op_create.add_argument("--email", required=True)
    op_create.add_argument("--password", help=_("read from PORTALWERK_OPERATOR_PASSWORD if absent"))

    tenants = sub.add_parser(
        "tenants",
        help=_("onboard, offboard, create, list, suspend, resume, delete, migrate, export, import"),
    )
    t_sub = tenants.add_subparsers(dest="action", required=True, parser_class=Parser)
    create = t_sub.add_parser("create", help=_("onboard a tenant"))
    create.add_argument("--name", required=True)
    create.add_argument("--slug", required=True)
    create.add_argument(
        "--kind", required=True, choices=["district", "municipality", "association"]
    )
    create.add_argument("--parent", metavar="SLUG")
    create.add_argument(
        "--key", metavar="AGS", default="", help=_("municipality key (8) or ARS (12)")
    )
    create.add_argument("--domain", action="append", default=[], metavar="HOST")
    create.add_argument("--admin-email", default="", help=_("invite this person as tenant admin"))
    listing = t_sub.add_parser("list", help=_("list tenants"))
    listing.add_argument("--json", action="store_true")
    for verb in ("suspend", "resume"):
        t_sub.add_parser(verb).add_argument("slug")
    sender = t_sub.add_parser("sender", help=_("set the address the tenant's mails come from"))
    sender.add_argument("slug")
    sender.add_argument("address", help=_("an email address; empty for the installation's"))
    delete = t_sub.add_parser("delete", help=_("offboard a tenant: drops its schema"))
    delete.add_argument("slug")
    delete.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    migrate = t_sub.add_parser("migrate", help=_("migrate every tenant schema that is behind"))
    migrate.add_argument("--parallel", type=int, default=1, metavar="N")

    from portalwerk.platform import commands_staff

    commands_staff.add_tenant_parsers(t_sub)
    from portalwerk.platform import commands_archive

    commands_archive.add_archive_parsers(t_sub)
    from portalwerk.platform import commands_lifecycle

    commands_lifecycle.add_lifecycle_parsers(t_sub)
    commands_staff.add_staff_parser(sub, Parser)
    from portalwerk.platform import commands_infra

    commands_infra.add_infra_parser(sub, Parser, _)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in OWN_COMMANDS | {"-h", "--help"}:
        return _django(argv)
    _speak_terminal_language()
    try:
        args = build_parser().parse_args(argv)
        if args.command == "demo":
            from portalwerk.platform import demo

            return demo.run(port=args.port, seed_only=args.seed_only)
        if args.command == "worker" and args.check:
            from portalwerk.platform.operations import liveness

            alive, line = liveness.check()  # a probe: no Django, no database
            print(line, file=sys.stdout if alive else sys.stderr)
            return 0 if alive else 1
        from portalwerk.platform import commands

        with commands.database():
            return commands.dispatch(args)
    except CommandError as exc:
        print(_("portalwerk: error: %(message)s") % {"message": exc}, file=sys.stderr)
        return 2
    except DatabaseError as exc:
        print(
            _("portalwerk: error: %(message)s") % {"message": _database_problem(exc)},
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130


def _database_problem(exc: DatabaseError) -> str:
    """One line for an operator instead of a traceback (the full error is not personal data,
    but a stack of Django frames helps nobody at the terminal)."""
    from django.db.utils import OperationalError, ProgrammingError

    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, ProgrammingError) and "does not exist" in first_line:
        return _("the database is not set up yet (%(detail)s): run `portalwerk setup` first.") % {
            "detail": first_line
        }
    if isinstance(exc, OperationalError):
        return _("cannot use the database: %(detail)s") % {"detail": first_line}
    return _("the database refused: %(detail)s") % {"detail": first_line}


def _django(argv: list[str]) -> int:
    from portalwerk.platform import commands

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portalwerk.platform.settings")
    with commands.database():
        from django.core.management import execute_from_command_line

        execute_from_command_line(["portalwerk", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
