"""The typed actor every service function takes as `*, actor`.

An actor is built once per request (`request.actor`, see `middleware`), from a user
(`from_user`), or for work nobody signed in for (`system("job-name")`, `anonymous()`). Services
never receive a bare user, a string or None: `check` refuses anything else with a TypeError, and
everything that reads an actor (capabilities, audit helpers, access helpers) goes through it.

What an actor may do is not decided here but in `capabilities`, from its role. Roles are data
(`accounts.models.Role` today, Keycloak claims later); this module only maps a role to the kind
of person it makes, so code can tell a citizen from office staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ActorKind(StrEnum):
    ANONYMOUS = "anonymous"
    CITIZEN = "citizen"
    CLERK = "clerk"
    TENANT_ADMIN = "tenant_admin"
    OPERATOR = "operator"
    SYSTEM = "system"
    # Someone who opened a submission's emailed access link: not signed in, and entitled to that
    # one submission only (`submission_reference`), for as long as the link is valid.
    LINK_HOLDER = "link_holder"


# A role nobody listed here (a claim from an identity provider we do not know yet) makes a
# citizen: the kind with no capabilities beyond their own applications.
ROLE_KINDS: dict[str, ActorKind] = {
    "citizen": ActorKind.CITIZEN,
    "clerk_reader": ActorKind.CLERK,
    "clerk_processor": ActorKind.CLERK,
    "tenant_admin": ActorKind.TENANT_ADMIN,
    "operator": ActorKind.OPERATOR,
}

STAFF_KINDS = frozenset({ActorKind.CLERK, ActorKind.TENANT_ADMIN})


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    role: str = ""
    user_id: int | None = None
    # The user row, for services that link what they write to a person (draft owner, message
    # author). Not part of the actor's identity.
    user: Any = field(default=None, compare=False, repr=False)
    job: str = ""
    # The one submission a link holder may see and answer (its reference); empty for others.
    submission_reference: str = ""
    is_active: bool = True
    # What capabilities looked up for this actor (extra roles from sources), so a request asks
    # the database at most once per source.
    cache: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    @property
    def is_anonymous(self) -> bool:
        return self.kind == ActorKind.ANONYMOUS

    @property
    def is_signed_in(self) -> bool:
        return self.user is not None

    @property
    def is_link_holder(self) -> bool:
        return self.kind == ActorKind.LINK_HOLDER

    @property
    def is_system(self) -> bool:
        return self.kind == ActorKind.SYSTEM

    @property
    def is_tenant_staff(self) -> bool:
        """A clerk or tenant admin of the tenant the actor signed in to."""
        return self.kind in STAFF_KINDS and self.is_active

    @property
    def email(self) -> str:
        return getattr(self.user, "email", "") if self.user is not None else ""

    @property
    def label(self) -> str:
        """The actor in words (the email of a person, the job of the system), for people reading
        logs; the audit trail keeps only the kind and the user id (`audit.recording.actor_of`)."""
        if self.kind == ActorKind.SYSTEM:
            return f"system:{self.job}"
        if self.kind == ActorKind.LINK_HOLDER:
            return f"link:{self.submission_reference}"
        return self.email or self.kind.value


_ANONYMOUS = Actor(kind=ActorKind.ANONYMOUS)


def anonymous() -> Actor:
    return _ANONYMOUS


def system(job: str) -> Actor:
    """Work no person signed in for: a CLI command, a scheduled job, the demo seeding."""
    if not job or not isinstance(job, str):
        raise ValueError("A system actor needs the name of its job.")
    return Actor(kind=ActorKind.SYSTEM, job=job)


def link_holder(reference: str) -> Actor:
    """Whoever holds a valid access link of the submission `reference` (checked by the caller,
    `forms.links`): that submission's applicant as far as we can tell, with no account."""
    if not reference or not isinstance(reference, str):
        raise ValueError("A link holder needs the reference of the submission the link opens.")
    return Actor(kind=ActorKind.LINK_HOLDER, submission_reference=reference)


def from_user(user) -> Actor:
    """The actor of a user row; AnonymousUser (or no user) is the anonymous actor."""
    if isinstance(user, Actor):
        raise TypeError("from_user() takes a user row, and this is an Actor already.")
    if user is None or not getattr(user, "is_authenticated", False):
        return _ANONYMOUS
    role = str(user.role)
    return Actor(
        kind=ROLE_KINDS.get(role, ActorKind.CITIZEN),
        role=role,
        user_id=user.pk,
        user=user,
        is_active=bool(user.is_active),
    )


def actor_for(request) -> Actor:
    """The actor of a request: `request.actor` when the middleware set it, else from its user."""
    actor = getattr(request, "actor", None)
    if actor is not None:
        return check(actor)
    return from_user(getattr(request, "user", None))


def check(actor) -> Actor:
    """The actor itself, or a TypeError: services never act for a string, a user row or None."""
    if not isinstance(actor, Actor):
        raise TypeError(
            f"Expected a portalwerk.platform.authz.actors.Actor, got {type(actor).__name__} "
            f"({actor!r}); build one with actor_for(request), from_user(user) or system('job')."
        )
    return actor


def user_of(actor: Actor):
    """The signed-in user acting, or None (anonymous citizens, system jobs)."""
    return check(actor).user
