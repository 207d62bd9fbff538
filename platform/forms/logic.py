"""Conditions in forms: a JSON-logic subset (https://jsonlogic.com), compiled once into closures.

A definition is checked and compiled when its version is loaded, so evaluating a condition while a
citizen fills the form is a few Python calls, not a walk over JSON. Supported operators:
`var`, `missing`, `==`, `!=`, `===`, `!==`, `<`, `<=`, `>`, `>=`, `!`, `!!`, `and`, `or`, `if`,
`in`, `+`, `-`, `*`, `/`, `min`, `max`, `count` (items of a repeating group, or selected options),
`today` (ISO date, for date comparisons).

`var` paths are dotted (`address.postcode`, `children.0.name`). Inside a repeating group a
condition first looks at the item's own answers, then at the whole form's: a field in an item can
depend on its siblings in that item and on earlier answers alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

Scope = Mapping[str, Any]
Compiled = Callable[[Scope], Any]

_MISSING = object()


class LogicError(ValueError):
    """A condition that cannot be compiled: unknown operator, wrong argument count."""


def _lookup(scope: Scope, path: str) -> Any:
    current: Any = scope
    for part in path.split("."):
        if isinstance(current, Mapping):
            current = current.get(part, _MISSING)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return _MISSING
        if current is _MISSING:
            return _MISSING
    return current


def _truthy(value: Any) -> bool:
    if isinstance(value, (list, tuple, dict, str)):
        return len(value) > 0
    return bool(value) and value is not _MISSING


def _number(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, str):
        try:
            return Decimal(value.replace(",", "."))
        except Exception:
            return value
    return value


def _loose_eq(a: Any, b: Any) -> bool:
    if a == b:
        return True
    na, nb = _number(a), _number(b)
    try:
        return na == nb
    except TypeError:
        return False


def _compare(op: str, a: Any, b: Any) -> bool:
    if a is None or b is None or a is _MISSING or b is _MISSING:
        return False
    if not (isinstance(a, str) and isinstance(b, str)):
        a, b = _number(a), _number(b)
    try:
        if op == "<":
            return a < b
        if op == "<=":
            return a <= b
        if op == ">":
            return a > b
        return a >= b
    except TypeError:
        return False


def compile_logic(rule: Any) -> Compiled:
    """Compile a rule into `f(scope) -> value`. Raises LogicError for a malformed rule."""
    if isinstance(rule, list):
        items = [compile_logic(r) for r in rule]
        return lambda scope: [f(scope) for f in items]
    if not isinstance(rule, dict):
        return lambda scope: rule
    if len(rule) != 1:
        raise LogicError(f"a rule has exactly one operator, got {sorted(rule)}")
    op, args = next(iter(rule.items()))
    if op == "var":
        return _var(args)
    if op == "today":
        return lambda scope: datetime.date.today().isoformat()
    if not isinstance(args, list):
        args = [args]
    fs = [compile_logic(a) for a in args]
    operator = OPERATORS.get(op)
    if operator is None:
        raise LogicError(f"unknown operator {op!r}")
    return operator(op, fs)


def _var(args: Any) -> Compiled:
    path, default = (args, None)
    if isinstance(args, list):
        if not args or len(args) > 2:
            raise LogicError("var takes a path and an optional default")
        path = args[0]
        default = args[1] if len(args) == 2 else None
    if not isinstance(path, str):
        raise LogicError("var takes a string path")

    def var(scope: Scope) -> Any:
        value = _lookup(scope, path) if path else scope
        return default if value is _MISSING or value is None else value

    return var


# Each operator compiles its already compiled arguments (`fs`) into one closure.


def _need(op: str, fs: list[Compiled], count: int) -> None:
    if len(fs) != count:
        raise LogicError(f"{op} takes {count} arguments, got {len(fs)}")


def _at_least_one(op: str, fs: list[Compiled]) -> None:
    if not fs:
        raise LogicError(f"{op} takes at least one argument")


def _missing(op: str, fs: list[Compiled]) -> Compiled:
    return lambda scope: [p for p in (f(scope) for f in fs) if not _truthy(_lookup(scope, str(p)))]


def _equal(op: str, fs: list[Compiled]) -> Compiled:
    _need(op, fs, 2)
    a, b = fs
    if op == "==":
        return lambda scope: _loose_eq(a(scope), b(scope))
    return lambda scope: not _loose_eq(a(scope), b(scope))


def _identical(op: str, fs: list[Compiled]) -> Compiled:
    _need(op, fs, 2)
    a, b = fs
    if op == "===":
        return lambda scope: a(scope) == b(scope)
    return lambda scope: a(scope) != b(scope)


def _ordering(op: str, fs: list[Compiled]) -> Compiled:
    if len(fs) == 3 and op in ("<", "<="):  # between: {"<": [1, x, 10]}
        a, b, c = fs
        return lambda scope: _compare(op, a(scope), b(scope)) and _compare(op, b(scope), c(scope))
    _need(op, fs, 2)
    a, b = fs
    return lambda scope: _compare(op, a(scope), b(scope))


def _not(op: str, fs: list[Compiled]) -> Compiled:
    _need(op, fs, 1)
    return lambda scope: not _truthy(fs[0](scope))


def _not_not(op: str, fs: list[Compiled]) -> Compiled:
    _need(op, fs, 1)
    return lambda scope: _truthy(fs[0](scope))


def _and(op: str, fs: list[Compiled]) -> Compiled:
    _at_least_one(op, fs)

    def and_(scope: Scope) -> Any:
        value: Any = True
        for f in fs:
            value = f(scope)
            if not _truthy(value):
                return value
        return value

    return and_


def _or(op: str, fs: list[Compiled]) -> Compiled:
    _at_least_one(op, fs)

    def or_(scope: Scope) -> Any:
        value: Any = False
        for f in fs:
            value = f(scope)
            if _truthy(value):
                return value
        return value

    return or_


def _if(op: str, fs: list[Compiled]) -> Compiled:
    n = len(fs)
    if n < 2:
        raise LogicError("if takes at least two arguments")

    def if_(scope: Scope) -> Any:
        i = 0
        while i + 1 < n:
            if _truthy(fs[i](scope)):
                return fs[i + 1](scope)
            i += 2
        return fs[i](scope) if i < n else None

    return if_


def _in(op: str, fs: list[Compiled]) -> Compiled:
    _need(op, fs, 2)
    a, b = fs

    def in_(scope: Scope) -> bool:
        needle, haystack = a(scope), b(scope)
        if isinstance(haystack, str):
            return isinstance(needle, str) and needle in haystack
        if isinstance(haystack, (list, tuple)):
            return needle in haystack
        return False

    return in_


def _count(op: str, fs: list[Compiled]) -> Compiled:
    _need(op, fs, 1)

    def count(scope: Scope) -> int:
        value = fs[0](scope)
        return len(value) if isinstance(value, (list, tuple)) else 0

    return count


def _numbers(fs: list[Compiled]) -> Compiled:
    def numbers(scope: Scope) -> list:
        out = []
        for f in fs:
            v = _number(f(scope))
            out.append(Decimal(0) if v is None or isinstance(v, str) else Decimal(str(v)))
        return out

    return numbers


def _sum(op: str, fs: list[Compiled]) -> Compiled:
    numbers = _numbers(fs)
    return lambda scope: sum(numbers(scope), Decimal(0))


def _product(op: str, fs: list[Compiled]) -> Compiled:
    numbers = _numbers(fs)

    def mul(scope: Scope) -> Decimal:
        result = Decimal(1)
        for v in numbers(scope):
            result *= v
        return result

    return mul


def _min_max(op: str, fs: list[Compiled]) -> Compiled:
    numbers = _numbers(fs)
    _at_least_one(op, fs)
    pick = min if op == "min" else max
    return lambda scope: pick(numbers(scope))


def _difference_quotient(op: str, fs: list[Compiled]) -> Compiled:
    _need(op, fs, 2)
    a, b = fs

    def arith(scope: Scope) -> Decimal | None:
        x, y = _number(a(scope)), _number(b(scope))
        try:
            x, y = Decimal(str(x or 0)), Decimal(str(y or 0))
        except Exception:
            return None
        if op == "-":
            return x - y
        return x / y if y else None

    return arith


OPERATORS: dict[str, Callable[[str, list[Compiled]], Compiled]] = {
    "missing": _missing,
    "==": _equal,
    "!=": _equal,
    "===": _identical,
    "!==": _identical,
    "<": _ordering,
    "<=": _ordering,
    ">": _ordering,
    ">=": _ordering,
    "!": _not,
    "!!": _not_not,
    "and": _and,
    "or": _or,
    "if": _if,
    "in": _in,
    "count": _count,
    "+": _sum,
    "*": _product,
    "min": _min_max,
    "max": _min_max,
    "-": _difference_quotient,
    "/": _difference_quotient,
}


def variables(rule: Any) -> set[str]:
    """The `var` paths a rule reads (for checking that conditions refer to known fields)."""
    found: set[str] = set()
    if isinstance(rule, list):
        for r in rule:
            found |= variables(r)
    elif isinstance(rule, dict):
        for op, args in rule.items():
            if op == "var":
                path = args[0] if isinstance(args, list) and args else args
                if isinstance(path, str) and path:
                    found.add(path)
            else:
                found |= variables(args)
    return found
