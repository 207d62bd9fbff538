"""What sign-in a form needs (`"sign_in": {"level": …, "account": …}` in a definition): the level
of assurance of the state account (eIDAS: low, substantial, high; "none" asks for nothing) and,
optionally, the kind of account (a personal or a business account). Read against the sign-in of
the session (`accounts.identity.assurance.SignedInWith`) by the forms services, which refuse to
start, save or submit a draft below it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portalwerk.platform.accounts.identity.assurance import ORDER, AccountKind, Level, SignedInWith

KINDS = tuple(AccountKind.values)


@dataclass(frozen=True)
class SignInRequirement:
    level: str = Level.NONE.value
    account: str = ""  # "" any kind; else an AccountKind value

    @property
    def asks_for_anything(self) -> bool:
        return self.level != Level.NONE.value or bool(self.account)

    def level_met(self, signed_in_with: SignedInWith) -> bool:
        return signed_in_with.meets(self.level)

    def kind_met(self, signed_in_with: SignedInWith) -> bool:
        return not self.account or signed_in_with.kind == self.account

    def met_by(self, signed_in_with: SignedInWith) -> bool:
        return self.level_met(signed_in_with) and self.kind_met(signed_in_with)


NO_REQUIREMENT = SignInRequirement()


def parse_sign_in(raw: Any, problems: list[str]) -> SignInRequirement:
    """The requirement of a definition's `sign_in`; what is wrong goes to `problems`."""
    if raw is None:
        return NO_REQUIREMENT
    if not isinstance(raw, Mapping):
        problems.append("sign_in: an object like {'level': 'substantial', 'account': 'person'}")
        return NO_REQUIREMENT
    unknown = set(raw) - {"level", "account"}
    if unknown:
        problems.append(f"sign_in: unknown properties {sorted(unknown)}")
    level = Level.NONE.value if raw.get("level") is None else raw["level"]
    if level not in ORDER:
        problems.append(f"sign_in: level must be one of {', '.join(ORDER)}, not {level!r}")
        level = Level.NONE.value
    account = "" if raw.get("account") is None else raw["account"]
    if account not in ("", *KINDS):
        problems.append(f"sign_in: account must be one of {', '.join(KINDS)}, not {account!r}")
        account = ""
    return SignInRequirement(level=level, account=account)
