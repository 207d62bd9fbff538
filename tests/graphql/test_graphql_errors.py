"""run_service: the one place where a ValidationError becomes payload errors."""

import strawberry
from django.core.exceptions import ValidationError

from portalwerk.graphql.core.errors import run_service
from portalwerk.platform.audit.models import Entry as AuditEntry


@strawberry.input
class ThingInput:
    display_name: str
    parent_slug: str


def _fail_with(error: ValidationError):
    def call():
        raise error

    return call


def test_field_names_become_the_inputs_camel_case_names(db):
    error = ValidationError(
        {
            "display_name": ValidationError("Too long: %(n)s", code="too_long", params={"n": 99}),
            "parent": ValidationError("No such parent.", code="unknown_parent"),
        }
    )
    outcome = run_service(
        _fail_with(error), input_type=ThingInput, fields={"parent": "parent_slug"}
    )
    assert outcome.value is None
    assert [(e.field, e.code, e.message) for e in outcome.errors] == [
        ("displayName", "too_long", "Too long: 99"),
        ("parentSlug", "unknown_parent", "No such parent."),
    ]


def test_errors_that_belong_to_no_input_field_have_no_field(db):
    error = ValidationError({"status": ValidationError("Suspended.", code="invalid_status")})
    outcome = run_service(_fail_with(error), input_type=ThingInput)
    assert [(e.field, e.code) for e in outcome.errors] == [(None, "invalid_status")]
    plain = run_service(_fail_with(ValidationError("Nope.")), input_type=ThingInput)
    assert [(e.field, e.code, e.message) for e in plain.errors] == [(None, "invalid", "Nope.")]


def test_a_refused_call_leaves_no_write_behind(db):
    # given a service that writes, then finds a problem
    def call():
        AuditEntry.objects.create(
            actor_kind="system",
            action="tenant.created",
            object_type="tenant",
            object_id="half-done",
        )
        raise ValidationError({"slug": ValidationError("Taken.", code="duplicate_slug")})

    # when it runs through run_service
    outcome = run_service(call)
    # then the error is a value and the write is rolled back
    assert [e.code for e in outcome.errors] == ["duplicate_slug"]
    assert not AuditEntry.objects.filter(object_type="tenant", object_id="half-done").exists()


def test_a_successful_call_returns_its_value(db):
    outcome = run_service(lambda: 42)
    assert outcome.ok
    assert outcome.value == 42


def test_a_crash_inside_a_resolver_is_masked_unless_debug(settings):
    # given a schema built like ours whose resolver fails unexpectedly
    import strawberry

    from portalwerk.graphql.core.schema import build_schema

    @strawberry.type
    class Query:
        @strawberry.field
        def secret(self) -> str:
            raise RuntimeError("relation t_alpha.accounts_user: password hash xyz")

    schema = build_schema(Query)
    # when it runs in production
    settings.DEBUG = False
    masked = schema.execute_sync("{ secret }")
    # then the client learns nothing of the internals
    assert [e.message for e in masked.errors] == ["Unexpected error."]
    # and in development the message is shown
    settings.DEBUG = True
    assert "password hash" in schema.execute_sync("{ secret }").errors[0].message
