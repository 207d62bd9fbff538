"""What the `portalwerk` subcommands do, once the database is reachable."""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sys
from collections.abc import Iterator

from portalwerk.platform.authz.actors import system

# The command's own lines come from the catalogue in the terminal's language (cli._), like
# the parser's; the services' messages from Django, switched to the same language.
from portalwerk.platform.cli import CommandError, _, terminal_language


@contextlib.contextmanager
def database() -> Iterator[None]:
    """Use DATABASE_URL, or the embedded server under PORTALWERK_HOME (started if needed and
    stopped again afterwards if this command started it)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portalwerk.platform.settings")
    if os.environ.get("DATABASE_URL"):
        _setup_django()
        yield
        return
    from portalwerk.platform import embedded_db, env

    home = env.home()
    server = embedded_db.ensure_running(home / "pg")
    url_file = home / "run" / "database_url"
    embedded_db.write_url_file(url_file, server)
    os.environ["DATABASE_URL"] = server.url()
    os.environ.setdefault("DJANGO_DEBUG", "1")
    try:
        _setup_django()
        yield
    finally:
        if server.started_here:
            from django.db import connections

            connections.close_all()
            embedded_db.stop(home / "pg")
            url_file.unlink(missing_ok=True)


def _setup_django() -> None:
    import django

    django.setup()
    _activate_terminal_language()


def _activate_terminal_language() -> None:
    """Messages of the services in the language the command itself speaks (the terminal's)."""
    from django.utils import translation

    translation.activate(terminal_language())


def _messages(exc) -> str:
    return " ".join(exc.messages)


def dispatch(args) -> int:
    from django.core.exceptions import ValidationError

    from portalwerk.platform import commands_infra, commands_staff

    handler = {
        "infra": commands_infra.infra,
        "setup": setup,
        "worker": worker,
        "tenants": tenants,
        "operator": operator,
        "staff": commands_staff.staff,
    }[args.command]
    try:
        return handler(args)
    except ValidationError as exc:
        raise CommandError(_messages(exc)) from None


def setup(args=None) -> int:
    from portalwerk.tenants import schemas, services, upgrades

    report = schemas.migrate_all(progress=_progress_bar)
    upgrades.record_report(report)
    services.ensure_platform_tenant()
    return _report_migration(report)


def worker(args) -> int:
    from portalwerk.platform import worker as supervised_worker

    return supervised_worker.run(queues=getattr(args, "queues", None))


def operator(args) -> int:
    from portalwerk.platform.accounts import services as accounts

    password = args.password or os.environ.get("PORTALWERK_OPERATOR_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            raise CommandError(
                _(
                    "no password given: set PORTALWERK_OPERATOR_PASSWORD or run the command "
                    "in a terminal to type it"
                )
            )
        password = getpass.getpass(_("Password for the new operator: "))
    accounts.create_operator(email=args.email, password=password)
    print(_("Operator %(email)s created.") % {"email": args.email})
    return 0


def tenants(args) -> int:
    from portalwerk.tenants import services

    if args.action == "create":
        from portalwerk.platform.commands_lifecycle import new_tenant_of

        tenant = services.create_tenant(actor=system("cli"), data=new_tenant_of(args))
        print(
            _("Created %(name)s (%(slug)s): %(url)s")
            % {"name": tenant.name, "slug": tenant.slug, "url": _urls(tenant)[0]}
        )
        if args.admin_email:
            email = args.admin_email.strip().lower()
            print(_("Invited %(email)s as tenant admin.") % {"email": email})
    elif args.action == "list":
        _list_tenants(as_json=args.json)
    elif args.action in {"onboard", "offboard", "progress"}:
        from portalwerk.platform import commands_lifecycle

        return commands_lifecycle.run(args)
    elif args.action in {"export", "import"}:
        from portalwerk.platform import commands_archive

        return commands_archive.run(args)
    elif args.action in {"modules", "resend-invitation"}:
        from portalwerk.platform import commands_staff

        if args.action == "modules":
            return commands_staff.tenant_modules(args)
        return commands_staff.tenant_resend_invitation(args)
    elif args.action == "suspend":
        tenant = services.suspend_tenant(actor=system("cli"), slug=args.slug)
        print(_("%(name)s is suspended.") % {"name": tenant.name})
    elif args.action == "resume":
        tenant = services.resume_tenant(actor=system("cli"), slug=args.slug)
        print(_("%(name)s is active again.") % {"name": tenant.name})
    elif args.action == "sender":
        tenant = services.set_mail_from(actor=system("cli"), slug=args.slug, address=args.address)
        print(
            _("%(name)s sends from %(address)s.")
            % {"name": tenant.name, "address": tenant.mail_from or _("the installation address")}
        )
    elif args.action == "delete":
        tenant = services.get_tenant(args.slug)
        if not args.yes:
            if not sys.stdin.isatty():
                raise CommandError(
                    _("deleting needs confirmation: run it in a terminal or add --yes")
                )
            answer = input(
                _("Delete %(name)s and all its data for good? Type its slug: ")
                % {"name": tenant.name}
            )
            if answer.strip() != tenant.slug:
                print(_("Not deleted."))
                return 1
        services.delete_tenant(actor=system("cli"), slug=args.slug)
        print(_("%(name)s is deleted.") % {"name": tenant.name})
    elif args.action == "migrate":
        if args.parallel < 1:
            raise CommandError(_("--parallel needs a number of 1 or more"))
        from portalwerk.tenants import schemas, upgrades

        report = schemas.migrate_all(parallel=args.parallel, progress=_progress_bar)
        upgrades.record_report(report)  # the console's "last migrate result" of each schema
        return _report_migration(report)
    return 0


def _urls(tenant) -> list[str]:
    from portalwerk.tenants.current import tenant_url

    primary = tenant_url(tenant)
    scheme_port = primary.split("://", 1)
    others = [d.domain for d in tenant.domains.all() if not d.is_primary]
    port = ""
    host_part = scheme_port[1].rstrip("/")
    if ":" in host_part:
        port = ":" + host_part.rsplit(":", 1)[1]
    return [primary, *(f"{scheme_port[0]}://{d}{port}/" for d in others)]


def _list_tenants(*, as_json: bool) -> None:
    from portalwerk.tenants.models import Tenant

    rows = [
        {
            "slug": t.slug,
            "name": t.name,
            "kind": t.kind,
            "parent": t.parent.slug if t.parent else None,
            "status": t.status,
            "official_key": t.official_key,
            "urls": _urls(t),
        }
        for t in Tenant.objects.exclude(schema_name="public")
        .select_related("parent")
        .prefetch_related("domains")
        .order_by("slug")
    ]
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        print(_("No tenants yet."))
        return
    headers = [_("slug"), _("name"), _("kind"), _("parent"), _("status"), _("URLs")]
    table = [
        [r["slug"], r["name"], r["kind"], r["parent"] or "-", r["status"], " ".join(r["urls"])]
        for r in rows
    ]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    print("  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)))
    for row in table:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))


def _progress_bar(total: int):
    from tqdm import tqdm

    if total == 0:
        print(_("All schemas are up to date."), file=sys.stderr)
        return lambda _schema: None
    bar = tqdm(total=total, desc=_("Migrating schemas"), unit=_("schema"), file=sys.stderr)

    def tick(schema: str) -> None:
        bar.set_postfix_str(schema)
        bar.update(1)
        if bar.n >= total:
            bar.close()

    return tick


def _report_migration(report) -> int:
    print(
        _("Checked %(checked)s schemas, migrated %(migrated)s, failed %(failed)s.")
        % {
            "checked": report.checked,
            "migrated": len(report.migrated),
            "failed": len(report.failed),
        }
    )
    for schema, error in sorted(report.failed.items()):
        print(
            _("FAILED %(schema)s: %(error)s") % {"schema": schema, "error": error}, file=sys.stderr
        )
    return 1 if report.failed else 0
