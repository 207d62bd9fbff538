"""Upgrades as operators see them: each tenant schema's migrations against the template's, the
last migrate result of each, and migrating from the console as a job that records its progress
(`MigrationRun`, one `MigrationOutcome` per schema).

Which schemas are behind is found as `tenants migrate` finds it (`schemas.schemas_behind`): one
query over every schema's `django_migrations`, never one per tenant."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor, check, system
from portalwerk.platform.error_codes import code_error
from portalwerk.tenants import schemas
from portalwerk.tenants.errors import TenantErrorCode as Code
from portalwerk.tenants.models import MigrationOutcome, MigrationRun, Tenant

TEMPLATE = schemas.TEMPLATE_SCHEMA
MAX_ERROR = 300


def require_operator(actor: Actor) -> None:
    """Operators, and jobs or commands nobody signed in for; anyone else is refused."""
    if not (check(actor).is_system or capabilities.can_operate_platform(actor)):
        raise capabilities.permission_denied()


def _applied(schema: str) -> list[tuple[str, str]]:
    """(app, name) of the migrations recorded in one schema; none when it has no table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{schemas.quote(schema)}.django_migrations"])
        if cursor.fetchone()[0] is None:
            return []
        cursor.execute(f"SELECT app, name FROM {schemas.quote(schema)}.django_migrations")
        return list(cursor.fetchall())


@dataclass(frozen=True)
class AppState:
    app: str
    template_latest: str
    latest: str
    missing: int


def app_states(schema: str) -> list[AppState]:
    """Per app: the template's latest migration, the schema's, and how many of the template's
    the schema lacks (two queries)."""
    template = set(_applied(TEMPLATE))
    mine = set(_applied(schema))
    apps = sorted({app for app, _name in template | mine})
    return [
        AppState(
            app=app,
            template_latest=max((n for a, n in template if a == app), default=""),
            latest=max((n for a, n in mine if a == app), default=""),
            missing=len({n for a, n in template if a == app} - {n for a, n in mine if a == app}),
        )
        for app in apps
    ]


def reference_migrations() -> set[str]:
    """What a schema is measured against: the template's migrations and the running code's (the
    two differ after a deploy, until the template is migrated first)."""
    template = {f"{app}.{name}" for app, name in _applied(TEMPLATE)}
    return template | schemas.expected_migrations()


def behind(schema_names: Iterable[str]) -> list[str]:
    """The schemas among these lacking one of those migrations (one query over all)."""
    return schemas.schemas_behind(schema_names, reference_migrations())


def template_behind() -> bool:
    """Whether the template itself lacks a migration of the code (migrating brings it first)."""
    return bool(schemas.schemas_behind([TEMPLATE]))


def last_outcomes(schema_names: Iterable[str]) -> dict[str, MigrationOutcome]:
    """The last migrate result of each schema, in one query."""
    rows = (
        MigrationOutcome.objects.filter(schema_name__in=list(schema_names))
        .order_by("schema_name", "-finished_at", "-id")
        .distinct("schema_name")
    )
    return {row.schema_name: row for row in rows}


def recent_runs(limit: int = 5) -> list[MigrationRun]:
    runs = list(MigrationRun.objects.order_by("-started_at", "-id")[:limit])
    failures: dict[int, list[MigrationOutcome]] = {}
    for outcome in MigrationOutcome.objects.filter(run__in=runs).exclude(error="").order_by("id"):
        failures.setdefault(outcome.run_id, []).append(outcome)
    for run in runs:
        run.failures = failures.get(run.pk, [])
    return runs


def start_migration(*, actor: Actor, slug: str | None = None) -> MigrationRun:
    """Defer a job that migrates the schemas behind (the template first; with `slug` that
    tenant's only), in this transaction; refused when nothing is behind."""
    from portalwerk.tenants.tasks import migrate_tenants

    require_operator(actor)
    if slug is None:
        todo = behind([TEMPLATE, *schemas.tenant_schemas()])
    else:
        tenant = Tenant.objects.exclude(schema_name="public").filter(slug=slug).first()
        if tenant is None:
            raise code_error(
                Code.NOT_FOUND, _("There is no tenant %(slug)r.") % {"slug": slug}, "slug"
            )
        todo = behind([tenant.schema_name])
        if template_behind():
            todo = [TEMPLATE, *todo]
    if not todo:
        raise ValidationError(
            _("Nothing to migrate: every schema has all migrations."), code="up_to_date"
        )
    with transaction.atomic():
        run = MigrationRun.objects.create(schemas=todo)
        record(actor, Action.MIGRATION_STARTED, run, total=len(todo), tenant=slug or "")
        migrate_tenants.defer(run_id=run.pk)
    return run


def _one_line(error: str) -> str:
    line = (error.splitlines() or [""])[0]
    return line if len(line) <= MAX_ERROR else line[: MAX_ERROR - 1] + "…"


def run_migration(run_id: int) -> MigrationRun | None:
    """Migrate the run's schemas one by one; each one's end is written at once, so the console
    shows how far the run is. A schema dropped meanwhile is skipped; a failing one is noted
    and the others go on. Run again (a retried job), it continues after the last one done."""
    run = MigrationRun.objects.filter(pk=run_id).first()
    if run is None or run.finished_at is not None:
        return run
    existing = set(
        Tenant.objects.filter(schema_name__in=run.schemas).values_list("schema_name", flat=True)
    )
    finished = set(run.outcomes.values_list("schema_name", flat=True))
    for schema in run.schemas:
        if schema in finished:
            continue
        error = ""
        if schema == TEMPLATE or schema in existing:
            _schema, failure = schemas._migrate_one(schema)
            error = _one_line(failure or "")
        MigrationOutcome.objects.create(run=run, schema_name=schema, error=error)
        MigrationRun.objects.filter(pk=run.pk).update(done=F("done") + 1)
    MigrationRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    run.refresh_from_db()
    failed = run.outcomes.exclude(error="").count()
    record(
        system("tenants-migrate"), Action.MIGRATION_FINISHED, run, total=run.total, failed=failed
    )
    return run


def record_report(report: schemas.MigrationReport) -> MigrationRun | None:
    """Keep what `portalwerk tenants migrate` did as a finished run, so the console's last
    migrate result of a tenant is the last one, wherever it was started."""
    done = [*report.migrated, *report.failed]
    if not done:
        return None
    now = timezone.now()
    run = MigrationRun.objects.create(schemas=done, done=len(done), finished_at=now)
    MigrationOutcome.objects.bulk_create(
        MigrationOutcome(
            run=run,
            schema_name=schema,
            finished_at=now,
            error=_one_line(report.failed.get(schema, "")),
        )
        for schema in done
    )
    return run
