"""Fees as the builder offers them, compiled to a definition's `fee` and read back:
none, a fixed amount, an amount per answer to a yes/no or choice question, or an amount per
entry of a repeating group. Any other fee (a rule from the expert view) is kept as it is."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from portalwerk.platform.forms.builder.conditions import read_condition

NONE, FIXED, BY_ANSWER, PER_ENTRY, CUSTOM = "none", "fixed", "by_answer", "per_entry", "custom"


@dataclass
class Fee:
    kind: str = NONE
    amount: int | None = None  # cents: the fixed amount, the amount per entry, or "otherwise"
    field: str = ""  # the question it depends on (by answer, per entry)
    per_value: dict[Any, int] = dataclass_field(default_factory=dict)  # by answer: value -> cents
    label: dict = dataclass_field(default_factory=dict)


def compile_fee(fee: Fee) -> dict | None:
    if fee.kind == NONE:
        return None
    if fee.kind == FIXED:
        amount: Any = fee.amount
    elif fee.kind == PER_ENTRY:
        amount = {"*": [fee.amount, {"count": {"var": fee.field}}]}
    else:
        branches: list = []
        for value, cents in fee.per_value.items():
            branches += [{"==": [{"var": fee.field}, value]}, cents]
        amount = {"if": [*branches, fee.amount or 0]}
    out: dict = {"amount": amount}
    if fee.label:
        out["label"] = dict(fee.label)
    return out


def read_fee(raw: Any) -> Fee:
    if not isinstance(raw, dict) or "amount" not in raw:
        return Fee()
    label = raw.get("label") if isinstance(raw.get("label"), dict) else {}
    amount = raw["amount"]
    if isinstance(amount, int) and not isinstance(amount, bool):
        return Fee(FIXED, amount, label=label)
    if isinstance(amount, dict) and len(amount) == 1:
        op, args = next(iter(amount.items()))
        if op == "*" and isinstance(args, list) and len(args) == 2:
            count = args[1]
            if (
                isinstance(args[0], int)
                and isinstance(count, dict)
                and isinstance(count.get("count"), dict)
                and isinstance(count["count"].get("var"), str)
            ):
                return Fee(PER_ENTRY, args[0], count["count"]["var"], label=label)
        if op == "if" and isinstance(args, list) and len(args) % 2 == 1 and len(args) >= 3:
            fee = _by_answer(args, label)
            if fee is not None:
                return fee
    return Fee(CUSTOM, label=label)


def _by_answer(args: list, label: dict) -> Fee | None:
    default = args[-1]
    if not isinstance(default, int):
        return None
    per_value: dict = {}
    key = None
    for rule, cents in zip(args[:-1:2], args[1:-1:2], strict=True):
        c = read_condition(rule)
        if c is None or c.op != "is" or not isinstance(cents, int):
            return None
        if key not in (None, c.field):
            return None
        key = c.field
        per_value[c.value] = cents
    return Fee(BY_ANSWER, default, key or "", per_value, label)
