"""The mutation base: permission first, one service call, ValidationErrors as typed errors."""

from types import SimpleNamespace

import strawberry
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from portalwerk.graphql.core.errors import error_type
from portalwerk.graphql.core.mutations import mutation
from portalwerk.graphql.core.permissions import AllowAnonymous, IsSignedIn
from portalwerk.graphql.core.schema import build_schema
from portalwerk.platform.audit.models import Entry as AuditEntry

ThingError = error_type("ThingError", ["too_long", "unknown_parent", "duplicate_slug"])


@strawberry.input
class ThingInput:
    display_name: str
    parent_slug: str = ""


@strawberry.type
class ThingPayload:
    errors: list[ThingError] = strawberry.field(default_factory=list)
    value: int | None = None


def _raise(error: ValidationError):
    raise error


FAILURES = {
    "fields": ValidationError(
        {
            "display_name": ValidationError("Too long: %(n)s", code="too_long", params={"n": 99}),
            "parent": ValidationError("No such parent.", code="unknown_parent"),
            "status": ValidationError("Suspended.", code="not_in_the_enum"),
        }
    ),
    "plain": ValidationError("Nope."),
}


@strawberry.type
class Query:
    @strawberry.field(permission_classes=[AllowAnonymous])
    def ok(self) -> bool:
        return True


@strawberry.type
class Mutation:
    @mutation(permission=AllowAnonymous, fields={"parent": "parent_slug"})
    def make_thing(self, input: ThingInput, fail: str = "") -> ThingPayload:
        if fail == "write-then-fail":
            AuditEntry.objects.create(
                actor_kind="system",
                action="tenant.created",
                object_type="tenant",
                object_id="half-done",
            )
            _raise(ValidationError({"slug": ValidationError("Taken.", code="duplicate_slug")}))
        if fail:
            _raise(FAILURES[fail])
        return ThingPayload(value=42)

    @mutation(permission=IsSignedIn)
    def guarded_thing(self) -> ThingPayload:
        AuditEntry.objects.create(
            actor_kind="system", action="tenant.created", object_type="tenant", object_id="guarded"
        )
        return ThingPayload(value=1)


schema = build_schema(Query, Mutation)
MAKE = """mutation($fail: String!) { makeThing(input: {displayName: "x"}, fail: $fail) {
  value errors { field code message } } }"""


def run(query, **variables):
    context = SimpleNamespace(request=SimpleNamespace(user=AnonymousUser(), tenant=None))
    result = schema.execute_sync(query, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    return result.data


def test_field_names_become_the_arguments_camel_case_names(db):
    errors = run(MAKE, fail="fields")["makeThing"]["errors"]
    assert errors == [
        {"field": "displayName", "code": "too_long", "message": "Too long: 99"},
        {"field": "parentSlug", "code": "unknown_parent", "message": "No such parent."},
        # a field the mutation does not have is null; a code the enum lacks is `invalid`
        {"field": None, "code": "invalid", "message": "Suspended."},
    ]


def test_an_error_of_no_field_has_no_field(db):
    assert run(MAKE, fail="plain")["makeThing"] == {
        "value": None,
        "errors": [{"field": None, "code": "invalid", "message": "Nope."}],
    }


def test_a_refused_call_leaves_no_write_behind(db):
    data = run(MAKE, fail="write-then-fail")["makeThing"]
    assert [e["code"] for e in data["errors"]] == ["duplicate_slug"]
    assert not AuditEntry.objects.filter(object_type="tenant", object_id="half-done").exists()


def test_a_successful_call_returns_its_payload(db):
    assert run(MAKE, fail="") == {"makeThing": {"value": 42, "errors": []}}


def test_a_permission_refusal_is_the_payloads_error_and_runs_nothing(db):
    data = run("mutation { guardedThing { value errors { field code message } } }")
    assert data["guardedThing"]["value"] is None
    assert [(e["field"], e["code"]) for e in data["guardedThing"]["errors"]] == [
        (None, "permission_denied")
    ]
    assert not AuditEntry.objects.filter(object_type="tenant", object_id="guarded").exists()


def test_the_code_is_an_enum_of_the_areas_codes():
    sdl = str(schema)
    assert "code: ThingErrorCode!" in sdl
    assert "enum ThingErrorCode {" in sdl and "  unknown_parent\n" in sdl


def test_a_crash_inside_a_resolver_is_masked_unless_debug(settings):
    # given a schema built like ours whose resolver fails unexpectedly
    @strawberry.type
    class Crashing:
        @strawberry.field
        def secret(self) -> str:
            raise RuntimeError("relation t_alpha.accounts_user: password hash xyz")

    crashing = build_schema(Crashing)
    # when it runs in production
    settings.DEBUG = False
    masked = crashing.execute_sync("{ secret }")
    # then the client learns nothing of the internals
    assert [e.message for e in masked.errors] == ["Unexpected error."]
    # and in development the message is shown
    settings.DEBUG = True
    assert "password hash" in crashing.execute_sync("{ secret }").errors[0].message
