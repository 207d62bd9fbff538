"""What operators do with the installation's Terraform: plan (what would change), apply and
destroy, for the identity stack (no slug) or one tenant's, each apply and destroy audited; and
drift (which stacks no longer match what Terraform made, e.g. a client changed by hand)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from portalwerk.infra import stacks
from portalwerk.infra.running import Plan, Stack
from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor, check


def _stack_and_variables(slug: str | None, *, destroying: bool = False) -> tuple[Stack, dict]:
    # what can be wrong in our own input is found before Terraform starts
    if slug is None:
        variables = stacks.identity_variables()
        return stacks.identity(), variables
    tenant = stacks.tenant_of(slug)
    stacks.identity_variables()
    outputs = stacks.identity().outputs()
    return stacks.tenant(slug), stacks.tenant_variables(tenant, outputs, destroying=destroying)


def plan(slug: str | None = None, *, destroy: bool = False) -> Plan:
    stack, variables = _stack_and_variables(slug, destroying=destroy)
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


@dataclass(frozen=True)
class TenantClient:
    """A tenant's own Keycloak client as Terraform made it: its id, and where its secret is
    read (the sensitive output `client_secret` of the tenant's workspace), never the secret."""

    client_id: str
    secret_reference: str


def _secret_reference(slug: str) -> str:
    return f"terraform:tenant/{slug}#client_secret"


def _audit(actor: Actor, action: Action, slug: str | None, done: Plan, **more) -> None:
    counts = {"added": done.add, "changed": done.change, "destroyed": done.destroy, **more}
    if slug is None:
        record(actor, action, object_type="infra", object_id="identity", **counts)
    else:
        record(actor, action, stacks.tenant_of(slug), **counts)


def apply(*, actor: Actor, slug: str | None = None) -> Plan:
    _require_operator(actor)
    stack, variables = _stack_and_variables(slug)
    done = stack.apply(variables)
    more = {}
    client = _client_of(slug, stack.outputs()) if slug is not None else None
    if client is not None:
        more = {"client_id": client.client_id, "secret_reference": client.secret_reference}
    _audit(actor, Action.INFRA_APPLIED, slug, done, **more)
    return done


def tenant_client(slug: str) -> TenantClient | None:
    """The tenant's client from its workspace's outputs (None before its first apply)."""
    return _client_of(slug, stacks.tenant(slug).outputs())


def _client_of(slug: str, outputs: dict) -> TenantClient | None:
    if not outputs.get("client_id"):
        return None
    return TenantClient(client_id=outputs["client_id"], secret_reference=_secret_reference(slug))


def tenant_client_secret(reference: str) -> str:
    """The secret a TenantClient's secret_reference points at, read from Terraform's state."""
    stack, _sep, output = reference.removeprefix("terraform:").partition("#")
    kind, _sep, slug = stack.partition("/")
    if kind != "tenant" or not slug or not output:
        raise ValueError(f"not a secret reference of a tenant's client: {reference!r}")
    return stacks.tenant(slug).outputs()[output]


def destroy(*, actor: Actor, slug: str | None = None) -> Plan:
    _require_operator(actor)
    stack, variables = _stack_and_variables(slug, destroying=True)
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
