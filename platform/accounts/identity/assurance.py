"""How strongly this browser's sign-in proves who is there, kept in the portal session.

A sign-in through a state account (brokered by Keycloak) carries an eIDAS level of assurance,
the identity provider it came through, the person's verified attributes and, for a business
account, the organisation and its representative. Providers write it once at sign-in
(`remember`); forms read it (`current`) to decide who may apply and what to prefill, and a
submission keeps a copy (`Submission.identity`, `snapshot`). A local sign-in, or none, has
level "none". Django's logout flushes the session, and with it this."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "portalwerk_signed_in_with"


class Level(models.TextChoices):
    """eIDAS levels of assurance, weakest first."""

    NONE = "none", _("no sign-in required")
    LOW = "low", _("low")
    SUBSTANTIAL = "substantial", _("substantial")
    HIGH = "high", _("high")


ORDER = [level.value for level in Level]


class AccountKind(models.TextChoices):
    PERSON = "person", _("personal account")
    BUSINESS = "business", _("business account")


#: attributes a state account may vouch for, by our names (the forms' prefill sources)
ATTRIBUTES = (
    "first_name",
    "last_name",
    "birth_date",
    "street",
    "house_number",
    "postcode",
    "city",
)


@dataclass(frozen=True)
class SignedInWith:
    provider: str = "local"  # "local", "keycloak", or the brokered identity provider's alias
    level: str = Level.NONE.value
    kind: str = AccountKind.PERSON.value
    attributes: dict[str, str] = field(default_factory=dict)  # verified, by ATTRIBUTES names
    organisation: dict[str, str] = field(default_factory=dict)  # business: name, id, representative

    def meets(self, level: str) -> bool:
        return ORDER.index(self.level) >= ORDER.index(level)

    def snapshot(self) -> dict:
        """What a submission keeps of it (without the attributes: the answers hold those)."""
        return {
            "provider": self.provider,
            "level": self.level,
            "kind": self.kind,
            "organisation": dict(self.organisation),
        }


def remember(session, signed_in_with: SignedInWith) -> None:
    session[SESSION_KEY] = asdict(signed_in_with)


def current(session) -> SignedInWith:
    raw = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(raw, dict) or raw.get("level") not in ORDER:
        return SignedInWith()
    return SignedInWith(
        provider=str(raw.get("provider") or "local"),
        level=raw["level"],
        kind=raw.get("kind") if raw.get("kind") in AccountKind.values else AccountKind.PERSON,
        attributes={k: str(v) for k, v in (raw.get("attributes") or {}).items() if k in ATTRIBUTES},
        organisation={str(k): str(v) for k, v in (raw.get("organisation") or {}).items()},
    )
