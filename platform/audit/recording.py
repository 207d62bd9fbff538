"""`record()`: the one way to write an audit entry, in the caller's transaction and schema."""

from __future__ import annotations

from collections.abc import Mapping

from portalwerk.platform.audit import context
from portalwerk.platform.audit.actions import Action, ActorKind
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import Actor, check

# Keys that name or describe a person, or carry free text someone typed (which may). The objects
# keep that data under their own retention; the audit entry only points at them.
PERSONAL_KEYS = frozenset(
    {
        "address",
        "answers",
        "applicant",
        "applicant_name",
        "assignee_email",
        "birth_date",
        "body",
        "date_of_birth",
        "email",
        "first_name",
        "full_name",
        "iban",
        "ip",
        "ip_address",
        "last_name",
        "message",
        "name",
        "note",
        "phone",
        "reason",
        "text",
        "user_agent",
    }
)
MAX_TEXT = 200


def actor_of(actor: Actor) -> tuple[str, int | None]:
    """(kind, user id) of the typed actor; anything else is refused with a TypeError."""
    actor = check(actor)
    return ActorKind(actor.kind.value), actor.user_id


def _with_job(actor: Actor, detail: Mapping) -> dict:
    """A system actor's job name ("retention", "cli") says which work wrote the entry; it names
    no person, so it goes into the detail."""
    if actor.is_system:
        return {"job": actor.job, **detail}
    return dict(detail)


def object_of(obj) -> tuple[str, str]:
    """Type and id of a model instance as text: the model name and the id people use for it
    (a submission's or payment's reference, a tenant's slug), otherwise the primary key."""
    object_type = obj._meta.model_name
    if object_type == "tenant":
        return object_type, str(obj.slug)
    return object_type, str(getattr(obj, "reference", "") or obj.pk)


def _check_detail(detail: Mapping) -> dict:
    for key, value in detail.items():
        if key.lower() in PERSONAL_KEYS:
            raise ValueError(f"audit detail must not carry personal data: {key!r}")
        for item in value if isinstance(value, list | tuple) else [value]:
            if not (item is None or isinstance(item, bool | int | float | str)):
                raise ValueError(f"audit detail {key!r} must hold plain values")
            if isinstance(item, str) and ("@" in item or len(item) > MAX_TEXT):
                raise ValueError(f"audit detail {key!r} looks like an address or free text")
    return {k: list(v) if isinstance(v, tuple) else v for k, v in detail.items()}


def record(
    actor: Actor,
    action: Action | str,
    obj=None,
    *,
    object_type: str | None = None,
    object_id: str | int | None = None,
    **detail,
) -> Entry:
    """Write one audit entry. `obj` names the object, or `object_type`/`object_id` do when the
    object is gone or not a model. `detail` is small and never personal (checked here)."""
    action = Action(action)
    kind, user_id = actor_of(actor)
    found_type, found_id = object_of(obj) if obj is not None else ("", "")
    return Entry.objects.create(
        actor_kind=kind,
        actor_user_id=user_id,
        action=action,
        object_type=object_type or found_type,
        object_id=str(object_id) if object_id is not None else found_id,
        request_id=context.current(),
        detail=_check_detail(_with_job(actor, detail)),
    )


def record_many(actor: Actor, action: Action | str, objects, **detail) -> list[Entry]:
    """One entry per object in one INSERT (exports, purges)."""
    action = Action(action)
    kind, user_id = actor_of(actor)
    detail = _check_detail(_with_job(actor, detail))
    request_id = context.current()
    entries = []
    for obj in objects:
        object_type, object_id = obj if isinstance(obj, tuple) else object_of(obj)
        entries.append(
            Entry(
                actor_kind=kind,
                actor_user_id=user_id,
                action=action,
                object_type=object_type,
                object_id=str(object_id),
                request_id=request_id,
                detail=dict(detail),
            )
        )
    return Entry.objects.bulk_create(entries)
