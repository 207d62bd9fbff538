"""Tenancy: creating a tenant (clone of the template versus replaying every migration) at a
growing number of existing tenants, and `migrate_all` when every schema is up to date."""

from __future__ import annotations

import contextlib
import statistics
import time

from django.test import override_settings

from .registry import Run, bench, timed

LEVELS = (1, 100, 500)
QUICK_LEVELS = (1, 20, 50)


def levels(run: Run) -> tuple[int, ...]:
    return QUICK_LEVELS if run.quick else LEVELS


def existing() -> int:
    from portalwerk.tenants.models import Tenant

    return Tenant.objects.exclude(schema_name="public").count()


def populate(run: Run, count: int) -> None:
    """Create tenants (by cloning, through the ordinary service) until `count` exist."""
    from portalwerk.platform.authz.actors import system
    from portalwerk.tenants import services

    have = existing()
    if have >= count:
        return
    start = time.perf_counter()
    for number in range(have, count):
        services.create_tenant(
            actor=system("bench"),
            data=services.NewTenant(
                name=f"Bench {number:04d}", slug=f"bench-{number:04d}", kind="municipality"
            ),
        )
        if (number + 1) % 100 == 0:
            run.log(f"  {number + 1} tenants")
    elapsed = time.perf_counter() - start
    run.figure(f"tenants_populate_s@{count}", elapsed)
    run.figure(f"tenants_populate_per_tenant_s@{count}", elapsed / (count - have))


def create_and_delete(slug: str) -> tuple[float, float]:
    from portalwerk.platform.authz.actors import system
    from portalwerk.tenants import services

    data = services.NewTenant(name=f"Probe {slug}", slug=slug, kind="municipality")
    created = timed(lambda: services.create_tenant(actor=system("bench"), data=data))
    deleted = timed(lambda: services.delete_tenant(actor=system("bench"), slug=slug))
    return created, deleted


def schema_clone_times(repeat: int) -> tuple[float, float]:
    """The schema alone: our clone and django-tenants' clone function (installed beforehand,
    as a fair baseline), medians of `repeat` clones each."""
    from django_tenants.clone import CloneSchema

    from portalwerk.tenants import schemas

    ours, theirs = [], []
    CloneSchema()._create_clone_schema_function()
    for i in range(repeat):
        name = f"bench_clone_{i}"
        ours.append(timed(lambda n=name: schemas.clone_schema(schemas.TEMPLATE_SCHEMA, n)))
        schemas.drop_schema(name)
        theirs.append(timed(lambda n=name: django_tenants_clone(n)))
        schemas.drop_schema(name)
    return statistics.median(ours), statistics.median(theirs)


def django_tenants_clone(name: str) -> None:
    from django.db import connection

    from portalwerk.tenants import schemas

    with connection.cursor() as cursor:
        cursor.execute("SELECT clone_schema(%s, %s, 'DATA')", [schemas.TEMPLATE_SCHEMA, name])


@bench("tenant_create")
def tenant_create(run: Run) -> None:
    """Create (and delete) a tenant at 1, 100, 500 existing tenants: clone versus migrate."""
    clone_repeat, migrate_repeat = (3, 2) if run.quick else (7, 5)
    for level in levels(run):
        populate(run, level)
        ours, theirs = schema_clone_times(3)
        run.figure(f"schema_clone_s@{level}", ours)
        run.figure(f"schema_clone_django_tenants_s@{level}", theirs)
        run.figure(f"schema_clone_speedup@{level}", theirs / ours)
        # Alternating, after an untimed round of each, so that both kinds meet the same load.
        clones, migrates = [], []
        for i in range(-1, max(clone_repeat, migrate_repeat)):
            if i < clone_repeat:
                clones.append(create_and_delete(f"probe-clone-{i + 1}"))
            if i < migrate_repeat:
                with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
                    migrates.append(create_and_delete(f"probe-migrate-{i + 1}"))
        clones, migrates = clones[1:], migrates[1:]
        clone_s = statistics.median(c for c, _d in clones)
        migrate_s = statistics.median(c for c, _d in migrates)
        run.figure(f"tenant_create_clone_s@{level}", clone_s)
        run.figure(f"tenant_create_migrate_s@{level}", migrate_s)
        run.figure(f"tenant_create_ratio@{level}", migrate_s / clone_s)
        run.figure(f"tenant_delete_s@{level}", statistics.median(d for _c, d in clones))


@bench("tenants_migrate_noop")
def tenants_migrate_noop(run: Run) -> None:
    """`migrate_all()` with every schema up to date, against Django's migrate on one schema."""
    from portalwerk.tenants import schemas

    count = levels(run)[-1]
    populate(run, count)
    run.figure("tenants_existing", existing())
    some_tenant = schemas.tenant_schemas()[0]
    one_s = statistics.median(timed(lambda: schemas.migrate_schema(some_tenant)) for _ in range(3))
    report = None

    def migrate_all() -> None:
        nonlocal report
        report = schemas.migrate_all()

    all_s = timed(migrate_all)
    if report.migrated or report.failed:
        raise RuntimeError(f"schemas were behind: {report.migrated or report.failed}")
    run.figure("tenants_migrate_noop_s", all_s)
    run.figure("tenant_migrate_noop_one_s", one_s)
    # What migrating every schema one by one (django-tenants' migrate_schemas) would cost.
    run.figure("tenants_migrate_noop_ratio", one_s * report.checked / all_s)


ONBOARD_LEVELS = (1, 100)
QUICK_ONBOARD_LEVELS = (1, 20)


def onboard_and_delete(slug: str) -> float:
    """The whole onboarding (every step, in this process, with a first admin invited), timed;
    then the tenant and its run removed again."""
    from portalwerk.platform.authz.actors import system
    from portalwerk.tenants import lifecycle, services
    from portalwerk.tenants.models import LifecycleRun, RunState

    data = services.NewTenant(
        name=f"Probe {slug}", slug=slug, kind="municipality", admin_email=f"admin@{slug}.example"
    )
    runs = []
    took = timed(
        lambda: runs.append(lifecycle.start_onboarding(actor=system("bench"), data=data, wait=True))
    )
    if runs[0].state != RunState.DONE:
        raise RuntimeError(f"onboarding {slug} stopped: {list(runs[0].steps.values())}")
    services.delete_tenant(actor=system("bench"), slug=slug)
    LifecycleRun.objects.filter(slug=slug).delete()
    return took


@contextlib.contextmanager
def keycloak_for_terraform(run: Run):
    """A Keycloak of the bench's own (the tests' server distribution, in-memory database) with
    the identity stack applied, so that onboarding's Terraform step really applies; None when
    Keycloak or the provider cannot be had here (then the figures exclude apply)."""
    from portalwerk.infra import providers
    from portalwerk.infra import services as infra
    from portalwerk.infra.errors import InfraError
    from portalwerk.platform.authz.actors import system

    try:
        from tests import components

        if providers.ensure_mirror(["keycloak"]) is None:
            raise InfraError("no Keycloak provider source")
        server = components.KeycloakServer().start()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 (components.unavailable raises pytest's skip)
        run.log(f"tenant_onboard: no Keycloak for Terraform ({exc}); the figures exclude apply")
        yield None
        return
    names = {
        "PORTALWERK_TF_KEYCLOAK_URL": server.url,
        "PORTALWERK_TF_KEYCLOAK_ADMIN": "admin",
        "PORTALWERK_TF_KEYCLOAK_ADMIN_PASSWORD": components.KEYCLOAK_ADMIN_PASSWORD,
        "KEYCLOAK_REALM": "bench",
        "KEYCLOAK_CLIENT_ID": "portalwerk-bench",
        "KEYCLOAK_CLIENT_SECRET": "bench-secret-of-the-platform-client",
        "PORTALWERK_TF_CONFIG": "",
    }
    try:
        with override_settings(**names):
            infra.apply(actor=system("bench"))
            yield server
    finally:
        server.stop()


@bench("tenant_onboard")
def tenant_onboard(run: Run) -> None:
    """Onboarding as recorded steps at 1 and 100 existing tenants, against the clone alone
    (`create_tenant`) measured alternately in the same run. Terraform apply (the tenant's stack,
    against a Keycloak the bench starts) is included when Keycloak and the provider can be had
    here; otherwise the figure is named `..._no_apply_s`."""
    with keycloak_for_terraform(run) as keycloak:
        name = "tenant_onboard_s" if keycloak else "tenant_onboard_no_apply_s"
        repeat = 3 if run.quick else 5
        for level in QUICK_ONBOARD_LEVELS if run.quick else ONBOARD_LEVELS:
            populate(run, level)
            onboards, clones = [], []
            for i in range(-1, repeat):  # an untimed round of each first
                # a slug of its own each time: a deleted tenant's Terraform state stays behind
                onboards.append(onboard_and_delete(f"probe-onboard-{level}-{i + 1}"))
                clones.append(create_and_delete(f"probe-clone-{i + 1}")[0])
            onboard_s, clone_s = statistics.median(onboards[1:]), statistics.median(clones[1:])
            run.figure(f"{name}@{level}", onboard_s)
            run.figure(f"tenant_onboard_clone_s@{level}", clone_s)
            run.figure(f"tenant_onboard_ratio@{level}", onboard_s / clone_s)
