"""How a submission was made, in words for the clerk: the level of assurance of the sign-in,
the identity provider, for a business account the organisation and its representative, and
which answers came unchanged from the state account (`Submission.identity`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from portalwerk.platform.accounts.identity.assurance import AccountKind, Level

#: the levels in the words German authorities use ("Vertrauensniveau substanziell")
LEVEL_WORDS = {
    Level.NONE.value: pgettext_lazy("level of assurance", "none"),
    Level.LOW.value: pgettext_lazy("level of assurance", "low"),
    Level.SUBSTANTIAL.value: pgettext_lazy("level of assurance", "substantial"),
    Level.HIGH.value: pgettext_lazy("level of assurance", "high"),
}


def level_words(level: str) -> str:
    return str(LEVEL_WORDS.get(level, level))


@dataclass(frozen=True)
class IdentityShown:
    level: str  # in words
    provider: str  # in words
    business: bool
    organisation: str  # name (and id), business accounts only
    representative: str
    verified: frozenset[str]  # field keys


def shown(identity: Mapping | None) -> IdentityShown | None:
    """`Submission.identity` for display; None for a submission made before it was recorded."""
    if not identity or "level" not in identity:
        return None
    provider = str(identity.get("provider") or "local")
    organisation = identity.get("organisation") or {}
    name = str(organisation.get("name") or "")
    number = str(organisation.get("id") or "")
    return IdentityShown(
        level=level_words(str(identity["level"])),
        provider=_("portal account (no state account)") if provider == "local" else provider,
        business=identity.get("kind") == AccountKind.BUSINESS,
        organisation=f"{name} ({number})" if name and number else name or number,
        representative=str(organisation.get("representative") or ""),
        verified=frozenset(identity.get("verified") or ()),
    )
