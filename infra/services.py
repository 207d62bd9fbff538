"""What operators do with the installation's Terraform: plan (what would change), apply and
destroy, for the identity stack (no slug) or one tenant's, each apply and destroy audited; and
drift (which stacks no longer match what Terraform made, e.g. a client changed by hand)."""

from __future__ import annotations

from django.db import connection

from portalwerk.infra import stacks
from portalwerk.infra.running import Plan, Stack
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor, check


def _stack_and_variables(slug: str | None) -> tuple[Stack, dict]:
    # what can be wrong in our own input is found before Terraform starts
    if slug is None:
        variables = stacks.identity_variables()
        return stacks.identity(), variables
    tenant = stacks.tenant_of(slug)
    stacks.identity_variables()
    outputs = stacks.identity().outputs()
    return stacks.tenant(slug), stacks.tenant_variables(tenant, outputs)


def plan(slug: str | None = None, *, destroy: bool = False) -> Plan:
    stack, variables = _stack_and_variables(slug)
    return stack.plan(variables, destroy=destroy)


def _require_operator(actor: Actor) -> None:
    # the CLI acts as a system actor: whoever runs it on the server is an operator already
    if not (check(actor).is_system or capabilities.can_operate_platform(actor)):
        raise capabilities.permission_denied()


def planned(*, actor: Actor, slug: str | None = None) -> Plan:
    """The plan an operator asked to see (the console's "check drift"), audited with what it
    found, so the tenant's page can say when the stack was last compared and how it stood."""
    _require_operator(actor)
    done = plan(slug)
    _audit(actor, Action.INFRA_PLANNED, slug, done, drift=len(done.drift))
    return done


def _audit(actor: Actor, action: Action, slug: str | None, done: Plan, **extra) -> None:
    counts = {"added": done.add, "changed": done.change, "destroyed": done.destroy, **extra}
    if slug is None:
        record(actor, action, object_type="infra", object_id="identity", **counts)
    else:
        record(actor, action, stacks.tenant_of(slug), **counts)


def apply(*, actor: Actor, slug: str | None = None) -> Plan:
    _require_operator(actor)
    stack, variables = _stack_and_variables(slug)
    done = stack.apply(variables)
    _audit(actor, Action.INFRA_APPLIED, slug, done)
    return done


def destroy(*, actor: Actor, slug: str | None = None) -> Plan:
    _require_operator(actor)
    stack, variables = _stack_and_variables(slug)
    done = stack.destroy(variables)
    _audit(actor, Action.INFRA_DESTROYED, slug, done)
    return done


def _tenant_workspaces() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('terraform_tenants.states')")
        if cursor.fetchone()[0] is None:
            return []
        cursor.execute("SELECT name FROM terraform_tenants.states WHERE name <> 'default'")
        return sorted(row[0] for row in cursor.fetchall())


def drift() -> dict[str, Plan]:
    """Stack name ("identity" or a tenant's slug) -> its plan, for those not in sync."""
    found = {}
    for slug in [None, *_tenant_workspaces()]:
        planned = plan(slug)
        if not planned.in_sync:
            found[slug or "identity"] = planned
    return found
