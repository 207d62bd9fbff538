"""Paths into a source's answer and the mapping of an answer to options or values.

The paths are a small JSONPath-like subset on purpose (`$`, `.key`, `['key']`, `[0]`, `[*]`):
tenant admins write them, so they must not run code or filters, and what they select is easy to
explain. A JSONPath library would accept far more than we want to support and explain."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_STEP = re.compile(
    r"""\.(?P<key>[A-Za-z_][A-Za-z0-9_\-]*)      # .key
      | \[(?P<index>\d+)\]                       # [0]
      | \[(?P<all>\*)\]                          # [*]
      | \[['"](?P<quoted>[^'"\]]+)['"]\]         # ['key']
    """,
    re.VERBOSE,
)
MAX_VALUE_LENGTH = 200
MAX_LABEL_LENGTH = 300


class ShapeError(ValueError):
    """The document has no list of options where the mapping says (or not of options)."""


class TooManyOptions(ValueError):
    pass


def parse_path(path: str) -> list[tuple[str, Any]]:
    """`$.a.b[*]` → [("key", "a"), ("key", "b"), ("all", None)]; `a.b` means `$.a.b`."""
    text = path.strip()
    if text.startswith("$"):
        text = text[1:]
    elif text and not text.startswith((".", "[")):
        text = "." + text
    steps: list[tuple[str, Any]] = []
    position = 0
    while position < len(text):
        match = _STEP.match(text, position)
        if match is None:
            raise ValueError(f"The path cannot be read from position {position + 1}: {path!r}")
        if match["key"] or match["quoted"]:
            steps.append(("key", match["key"] or match["quoted"]))
        elif match["index"]:
            steps.append(("index", int(match["index"])))
        else:
            steps.append(("all", None))
        position = match.end()
    return steps


def select(document: Any, path: str) -> list[Any]:
    """Everything `path` selects in `document` (several items only through `[*]`)."""
    found = [document]
    for kind, arg in parse_path(path):
        following = []
        for item in found:
            if kind == "key" and isinstance(item, Mapping) and arg in item:
                following.append(item[arg])
            elif kind == "index" and isinstance(item, list) and arg < len(item):
                following.append(item[arg])
            elif kind == "all" and isinstance(item, list):
                following.extend(item)
            elif kind == "all" and isinstance(item, Mapping):
                following.extend(item.values())
        found = following
    return found


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    return None


def options(
    document: Any, list_path: str, value_key: str, label_key: str, max_options: int
) -> list[dict]:
    """The options the document holds: `[{"value": str, "label": str | {"de", "en"}}]`."""
    # `$.waters` and `$.waters[*]` mean the same list; `$.regions[*].waters` joins several
    path = list_path.strip()
    path = path[: -len("[*]")] if path.endswith("[*]") else path
    lists = select(document, path)
    if not lists or not all(isinstance(found, list) for found in lists):
        raise ShapeError(f"no list at {list_path}")
    selected = [item for found in lists for item in found]
    if len(selected) > max_options:
        raise TooManyOptions(f"{len(selected)} options, at most {max_options} taken")
    found: list[dict] = []
    seen: set[str] = set()
    for number, item in enumerate(selected, start=1):
        if not isinstance(item, Mapping):
            raise ShapeError(f"option {number} is not an object")
        value = _text(item.get(value_key))
        if not value or len(value) > MAX_VALUE_LENGTH:
            raise ShapeError(f"option {number} has no usable {value_key!r}")
        if value in seen:
            continue
        seen.add(value)
        found.append({"value": value, "label": _label(item.get(label_key or value_key), value)})
    return found


def _label(raw: Any, value: str) -> Any:
    if isinstance(raw, Mapping):
        texts = {lang: _text(raw.get(lang)) for lang in ("de", "en")}
        texts = {lang: text[:MAX_LABEL_LENGTH] for lang, text in texts.items() if text}
        return texts or value
    text = _text(raw)
    return text[:MAX_LABEL_LENGTH] if text else value


def value(document: Any, path: str) -> str | None:
    """The text at `path` (the first one selected), or None when there is none."""
    try:
        selected = select(document, path)
    except ValueError:
        return None
    text = _text(selected[0]) if selected else None
    return text[: MAX_VALUE_LENGTH * 5] if text else None


def label_text(option: Mapping, lang: str | None = None) -> str:
    """An option's label in the active language (German first)."""
    from django.utils.translation import get_language

    label = option.get("label", option.get("value", ""))
    if isinstance(label, Mapping):
        lang = (lang or get_language() or "de")[:2]
        return str(label.get(lang) or label.get("de") or next(iter(label.values()), ""))
    return str(label)
