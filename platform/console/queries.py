"""What the console's pages read, each in a fixed number of statements whatever the number of
tenants. Every function asks for the actor and refuses anyone but an operator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from portalwerk.platform.accounts.models import STAFF_ROLES, Role, User
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.audit.queries import entries_for_object
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.forms.models import Submission, SubmissionStatus
from portalwerk.platform.operations.models import TenantActivity
from portalwerk.tenants import upgrades
from portalwerk.tenants.models import Domain, Module, Tenant

PAGE_SIZE = 50
# the list counts its matches up to here and says "more than" beyond: a count of every row
# would grow with the table
COUNT_CAP = 10_000
S = SubmissionStatus
OPEN = (S.RECEIVED, S.IN_PROGRESS, S.WAITING)
INFRA_ACTIONS = (Action.INFRA_PLANNED, Action.INFRA_APPLIED, Action.INFRA_DESTROYED)
BEHIND_SHOWN = 200


@dataclass
class TenantListPage:
    rows: list[Tenant]
    count: int
    number: int

    @property
    def more_than_cap(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number * PAGE_SIZE < self.count

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.count, COUNT_CAP) // PAGE_SIZE))


def tenant_list(
    actor: Actor, *, q: str = "", status: str = "", kind: str = "", page: int = 1
) -> TenantListPage:
    """A page of tenants by name, filtered and searched in the database: one count (capped)
    and one read of the page, whatever the number of tenants."""
    upgrades.require_operator(actor)
    tenants = Tenant.objects.exclude(schema_name="public")
    if status:
        tenants = tenants.filter(status=status)
    if kind:
        tenants = tenants.filter(kind=kind)
    q = q.strip()
    if q:
        domains = Domain.objects.filter(tenant=OuterRef("pk"), domain__icontains=q)
        tenants = tenants.filter(
            Q(name__icontains=q)
            | Q(slug__icontains=q.lower())
            | Q(official_key__startswith=q)
            | Exists(domains)
        )
    count = tenants.order_by().values("pk")[: COUNT_CAP + 1].count()
    primary = Domain.objects.filter(tenant=OuterRef("pk"), is_primary=True).values("domain")
    start = (page - 1) * PAGE_SIZE
    rows = list(
        tenants.select_related("parent")
        .annotate(primary_domain=Subquery(primary[:1]))
        .order_by("name", "pk")[start : start + PAGE_SIZE]
    )
    return TenantListPage(rows=rows, count=count, number=page)


def get_tenant(actor: Actor, slug: str) -> Tenant | None:
    upgrades.require_operator(actor)
    return (
        Tenant.objects.exclude(schema_name="public")
        .select_related("parent")
        .filter(slug=slug)
        .first()
    )


@dataclass
class Usage:
    submissions_this_month: int = 0
    open_submissions: int = 0
    staff: int = 0
    citizens: int = 0
    last_active: dt.date | None = None
    active_days_30: int = 0


def usage(tenant: Tenant) -> Usage | None:
    """What the platform can count honestly for one tenant: four queries, two of them inside
    the tenant's schema; None while the tenant has no schema (still being provisioned)."""
    if not schema_exists(tenant.schema_name):
        return None
    today = timezone.localdate()
    month = timezone.make_aware(dt.datetime.combine(today.replace(day=1), dt.time()))
    with schema_context(tenant.schema_name):
        submissions = Submission.objects.aggregate(
            month=Count("pk", filter=Q(submitted_at__gte=month)),
            open=Count("pk", filter=Q(status__in=OPEN)),
        )
        users = User.objects.filter(is_active=True).aggregate(
            staff=Count("pk", filter=Q(role__in=STAFF_ROLES)),
            citizens=Count("pk", filter=Q(role=Role.CITIZEN)),
        )
    activity = TenantActivity.objects.filter(schema_name=tenant.schema_name).aggregate(
        last=Max("day"), days=Count("pk", filter=Q(day__gt=today - dt.timedelta(days=30)))
    )
    return Usage(
        submissions_this_month=submissions["month"],
        open_submissions=submissions["open"],
        staff=users["staff"],
        citizens=users["citizens"],
        last_active=activity["last"],
        active_days_30=activity["days"],
    )


@dataclass
class TerraformState:
    has_workspace: bool = False
    last: dict[str, Entry] = field(default_factory=dict)  # action code -> latest entry


def terraform_state(tenant: Tenant) -> TerraformState:
    """Whether Terraform keeps a state for the tenant, and its last plan, apply and destroy
    as the audit trail recorded them."""
    state = TerraformState()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('terraform_tenants.states')")
        if cursor.fetchone()[0] is not None:
            cursor.execute("SELECT 1 FROM terraform_tenants.states WHERE name = %s", [tenant.slug])
            state.has_workspace = cursor.fetchone() is not None
    entries = Entry.objects.filter(
        object_type="tenant", object_id=tenant.slug, action__in=INFRA_ACTIONS
    ).order_by("-at", "-id")[:30]
    for entry in entries:
        state.last.setdefault(entry.action.replace(".", "_"), entry)
    return state


@dataclass
class MigrationState:
    apps: list[upgrades.AppState]
    last: object = None  # MigrationOutcome

    @property
    def missing(self) -> int:
        return sum(a.missing for a in self.apps)


def migration_state(tenant: Tenant) -> MigrationState:
    return MigrationState(
        apps=upgrades.app_states(tenant.schema_name),
        last=upgrades.last_outcomes([tenant.schema_name]).get(tenant.schema_name),
    )


def modules(tenant: Tenant) -> list[dict]:
    return [
        {"label": label, "allowed": value in tenant.allowed_modules, "on": value in tenant.modules}
        for value, label in Module.choices
    ]


def operator_entries(tenant: Tenant) -> list[Entry]:
    """What operators and jobs did to the tenant, newest first (the public schema's trail)."""
    return entries_for_object("tenant", tenant.slug, limit=20)


@dataclass
class Upgrades:
    tenants: int
    reference: int  # migrations the template has
    template_behind: bool
    behind: list[Tenant]
    behind_count: int
    runs: list


def upgrades_overview(actor: Actor) -> Upgrades:
    """Every tenant against the template in a fixed number of queries: the tenants (one), the
    template's migrations (two), which schemas lack one of them (two: one UNION over every
    schema's table), the last results of those shown (one) and the recent runs (two)."""
    upgrades.require_operator(actor)
    tenants = list(
        Tenant.objects.exclude(schema_name="public")
        .order_by("name", "pk")
        .only("name", "slug", "schema_name", "status", "kind")
    )
    reference = upgrades.reference_migrations()
    behind = set(
        upgrades.schemas.schemas_behind([t.schema_name for t in tenants], reference)
        if tenants
        else []
    )
    rows = [t for t in tenants if t.schema_name in behind]
    shown = rows[:BEHIND_SHOWN]
    last = upgrades.last_outcomes([t.schema_name for t in shown])
    for tenant in shown:
        tenant.last_outcome = last.get(tenant.schema_name)
    return Upgrades(
        tenants=len(tenants),
        reference=len(reference),
        template_behind=upgrades.template_behind(),
        behind=shown,
        behind_count=len(rows),
        runs=upgrades.recent_runs(),
    )
