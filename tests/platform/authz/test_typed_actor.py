"""Services act only for a typed actor: strings, user rows and None are refused with a
TypeError before anything is written, and every service function declares `actor: Actor`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import Role
from portalwerk.platform.audit.models import Entry as AuditEntry
from portalwerk.platform.authz.actors import (
    Actor,
    ActorKind,
    actor_for,
    anonymous,
    from_user,
    system,
)
from portalwerk.platform.authz.middleware import ActorMiddleware
from portalwerk.tenants import services as tenants
from portalwerk.tenants.models import Tenant


def test_a_service_refuses_a_string_actor_and_writes_nothing(db):
    with pytest.raises(TypeError, match="Actor"):
        tenants.create_tenant(
            actor="cli",
            data=tenants.NewTenant(name="Neudorf", slug="neudorf", kind="municipality"),
        )
    assert not Tenant.objects.filter(slug="neudorf").exists()
    assert not AuditEntry.objects.filter(object_type="tenant", object_id="neudorf").exists()


@pytest.mark.parametrize("wrong", ["tests", None, AnonymousUser()])
def test_a_casework_service_refuses_anything_but_an_actor(wrong, tenant_a):
    from portalwerk.platform.casework import services as casework

    with schema_context(tenant_a.schema_name), pytest.raises(TypeError):
        casework.change_status(actor=wrong, submission_id=1, status="in_progress")


def test_a_user_row_is_not_an_actor(tenant_a, clerk):
    from portalwerk.platform.forms import services as forms

    with schema_context(tenant_a.schema_name), pytest.raises(TypeError):
        forms.create_form(actor=clerk, slug="x", title={"de": "x"}, definition={"steps": []})


def test_a_system_job_is_named_in_the_audit_trail(tenant_b):
    tenants.suspend_tenant(actor=system("nightly-check"), slug=tenant_b.slug)
    entry = AuditEntry.objects.get(
        object_type="tenant", object_id=tenant_b.slug, action="tenant.suspended"
    )
    assert (entry.actor_kind, entry.actor_user_id) == ("system", None)
    assert entry.detail == {"job": "nightly-check"}
    with pytest.raises(ValueError):
        system("")


def test_actors_are_built_from_users_and_requests(tenant_a, clerk):
    assert from_user(None) == anonymous() == from_user(AnonymousUser())
    actor = from_user(clerk)
    assert (actor.kind, actor.role, actor.user_id, actor.label) == (
        ActorKind.CLERK,
        Role.CLERK_PROCESSOR,
        clerk.pk,
        clerk.email,
    )
    with pytest.raises(TypeError):
        from_user(actor)
    # the middleware sets request.actor lazily, from the user authentication put there
    request = RequestFactory().get("/")
    ActorMiddleware(lambda r: None)(request)
    request.user = clerk
    assert isinstance(request.actor, Actor) and request.actor == actor
    assert actor_for(request) == actor


def _service_modules():
    names = []
    for area in ("platform", "billing", "tenants"):
        package = importlib.import_module(f"portalwerk.{area}")
        for info in pkgutil.walk_packages(package.__path__, f"portalwerk.{area}."):
            leaf = info.name.rsplit(".", 1)[-1]
            if ".migrations" in info.name or "tests" in info.name:
                continue
            in_billing = area == "billing" and not info.ispkg
            if in_billing or leaf.startswith("services") or ".services." in info.name:
                names.append(info.name)
    return sorted(set(names))


def test_every_service_function_declares_a_typed_actor():
    untyped = []
    modules = _service_modules()
    assert "portalwerk.platform.casework.services" in modules
    assert "portalwerk.billing.payments.refunds" in modules
    for name in modules:
        module = importlib.import_module(name)
        for fname, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != name:
                continue
            parameter = inspect.signature(function).parameters.get("actor")
            if parameter is None or parameter.kind != inspect.Parameter.KEYWORD_ONLY:
                continue
            if parameter.annotation not in (Actor, "Actor", "Actor | None"):
                untyped.append(f"{name}.{fname}")
    assert untyped == []
