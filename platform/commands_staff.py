"""`portalwerk staff …` and the tenant subcommands about staff and modules (`tenants modules`,
`tenants resend-invitation`): argument parsing and output only; the rules are in
`accounts.staff` and `tenants.module_settings`. Acting as the system job "cli": the operator at
the machine."""

from __future__ import annotations

import argparse
import json

from portalwerk.platform.authz.actors import system

ROLE_CHOICES = ["reader", "processor", "tenant_admin"]


def add_staff_parser(sub, parser_class) -> None:
    staff = sub.add_parser("staff", help="staff accounts of a tenant: invite, list, role, …")
    s_sub = staff.add_subparsers(dest="action", required=True, parser_class=parser_class)

    def verb(name: str, help: str, *, email: bool = True):
        parser = s_sub.add_parser(name, help=help)
        parser.add_argument("--tenant", required=True, metavar="SLUG")
        if email:
            parser.add_argument("email")
        return parser

    invite = verb("invite", "invite a staff member by email")
    invite.add_argument("--role", required=True, choices=ROLE_CHOICES)
    invite.add_argument("--finance", action="store_true", help="also the finance role")
    invite.add_argument("--name", default="", help="the person's full name")
    invite.add_argument("--language", default="de", choices=["de", "en"])
    verb("list", "list staff accounts", email=False).add_argument("--json", action="store_true")
    role = verb("role", "set a staff member's role")
    role.add_argument("role", choices=ROLE_CHOICES)
    role.add_argument(
        "--finance",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="give or take the finance role (kept as it is when left out)",
    )
    verb("deactivate", "close a staff account (its history stays)")
    verb("reactivate", "open a deactivated staff account again")
    verb("resend", "send a pending invitation again")


def add_tenant_parsers(t_sub) -> None:
    modules = t_sub.add_parser("modules", help="switch a tenant's modules; set its contract")
    modules.add_argument("slug")
    modules.add_argument("--on", action="append", default=[], metavar="MODULE")
    modules.add_argument("--off", action="append", default=[], metavar="MODULE")
    modules.add_argument(
        "--allowed", metavar="MODULES", help="what the contract allows, comma-separated"
    )
    resend = t_sub.add_parser("resend-invitation", help="send the tenant admin's invitation again")
    resend.add_argument("slug")


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def tenant_modules(args) -> int:
    from portalwerk.tenants import module_settings, services

    actor = system("cli")
    tenant = services.get_tenant(args.slug)
    if args.allowed is not None:
        tenant = module_settings.set_allowed_modules(
            actor=actor, slug=tenant.slug, allowed=_split([args.allowed])
        )
    if args.on or args.off:
        tenant = module_settings.set_modules(
            actor=actor, slug=tenant.slug, on=_split(args.on), off=_split(args.off)
        )
    print(module_settings.modules_message(tenant))
    return 0


def tenant_resend_invitation(args) -> int:
    from django.utils.translation import gettext as _

    from portalwerk.tenants import onboarding, services

    tenant = services.get_tenant(args.slug)
    sent = onboarding.resend_admin_invitation(actor=system("cli"), tenant=tenant)
    print(_("Sent the invitation again to: %(emails)s") % {"emails": ", ".join(sent)})
    return 0


def staff(args) -> int:
    from django_tenants.utils import schema_context

    from portalwerk.platform.accounts import staff as services
    from portalwerk.tenants.services import get_tenant

    actor = system("cli")
    tenant = get_tenant(args.tenant)
    with schema_context(tenant.schema_name):
        if args.action == "list":
            _list(services.list_staff(actor=actor), as_json=args.json)
            return 0
        if args.action == "invite":
            user = services.invite_staff(
                actor=actor,
                email=args.email,
                role=args.role,
                finance=args.finance,
                full_name=args.name,
                language=args.language,
            )
            verb = "invited"
        elif args.action == "role":
            user = services.change_role(
                actor=actor, member=args.email, role=args.role, finance=args.finance
            )
            verb = "role"
        elif args.action == "deactivate":
            user, verb = services.deactivate_staff(actor=actor, member=args.email), "deactivated"
        elif args.action == "reactivate":
            user, verb = services.reactivate_staff(actor=actor, member=args.email), "reactivated"
        else:
            user, verb = services.resend_invitation(actor=actor, member=args.email), "resent"
        print(services.staff_message(user, verb))
    return 0


def _list(members, *, as_json: bool) -> None:
    from django.utils.translation import gettext as _

    rows = [
        {
            "email": m.email,
            "name": m.full_name,
            "role": m.role,
            "finance": m.finance,
            "active": m.is_active,
            "invitation_pending": m.invitation_pending,
            "last_login": m.last_login.isoformat() if m.last_login else None,
        }
        for m in members
    ]
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        print(_("No staff accounts yet."))
        return
    headers = [_("email"), _("role"), _("finance"), _("status")]
    table = [
        [
            m.email,
            m.role,
            _("yes") if m.finance else "-",
            _("invited")
            if m.invitation_pending and m.is_active
            else (_("active") if m.is_active else _("deactivated")),
        ]
        for m in members
    ]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    print("  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)))
    for row in table:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
