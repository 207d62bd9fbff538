"""`portalwerk tenants export|import`: argument parsing and output only; the work is in
`portalwerk.tenants.archive` (docs/operators/tenant-archive.md). Acting as the system job
"cli": the operator at the machine."""

from __future__ import annotations

from pathlib import Path

from portalwerk.platform.authz.actors import system
from portalwerk.platform.cli import _


def add_archive_parsers(t_sub) -> None:
    export = t_sub.add_parser("export", help=_("write a tenant's whole data to one archive"))
    export.add_argument("slug")
    export.add_argument("--out", metavar="PATH", help=_("the archive (default: SLUG-DATE.zip)"))
    restore = t_sub.add_parser("import", help=_("restore an archive as a new tenant"))
    restore.add_argument("archive", metavar="ARCHIVE")
    restore.add_argument("--slug", required=True, help=_("the new tenant's slug"))
    restore.add_argument("--name", default="", help=_("its name (default: the archive's)"))
    restore.add_argument(
        "--unlink-identities",
        action="store_true",
        help=_("forget the accounts' single sign-on links (an archive of another installation)"),
    )


def run(args) -> int:
    from portalwerk.tenants.archive import services

    if args.action == "export":
        path, size = services.export_tenant(
            actor=system("cli"), slug=args.slug, path=Path(args.out) if args.out else None
        )
        print(_("Exported %(slug)s to %(path)s (%(size)s bytes).") % {
            "slug": args.slug, "path": path, "size": size,
        })  # fmt: skip
        return 0
    tenant = services.import_tenant(
        actor=system("cli"),
        archive=Path(args.archive),
        slug=args.slug,
        name=args.name,
        unlink_identities=args.unlink_identities,
    )
    print(_("Imported %(path)s as %(name)s (%(slug)s).") % {
        "path": args.archive, "name": tenant.name, "slug": tenant.slug,
    })  # fmt: skip
    return 0
