"""A small structural check of a JSON document against docs/handover/submission-1.schema.json.

jsonschema is not installed here, and the schema uses only a handful of keywords, so these
tests check exactly those (type, const, enum, required, properties, items, $ref, oneOf,
minimum, minLength, pattern) and fail on any other keyword rather than skip it silently."""

from __future__ import annotations

import json
import re
from pathlib import Path

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "docs/handover/submission-1.schema.json"
TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "boolean": bool,
    "null": type(None),
}
KNOWN = {
    "$schema", "$id", "$defs", "$ref", "title", "description", "format", "type", "const",
    "enum", "required", "properties", "items", "oneOf", "minimum", "minLength", "pattern",
}  # fmt: skip


def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text())


def errors(document, node: dict | None = None, root: dict | None = None, at: str = "$") -> list:
    root = root or schema()
    node = root if node is None else node
    unknown = set(node) - KNOWN
    assert not unknown, f"the checker does not know {unknown} (at {at})"
    found = []
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        found += errors(document, root["$defs"][name], root, at)
    if "type" in node:
        expected = TYPES[node["type"]]
        ok = isinstance(document, expected) and not (expected is int and isinstance(document, bool))
        if not ok:
            return [f"{at}: not a {node['type']}"]
    if "const" in node and document != node["const"]:
        found.append(f"{at}: not {node['const']!r}")
    if "enum" in node and document not in node["enum"]:
        found.append(f"{at}: {document!r} not one of {node['enum']}")
    if "minimum" in node and document < node["minimum"]:
        found.append(f"{at}: below {node['minimum']}")
    if "minLength" in node and len(document) < node["minLength"]:
        found.append(f"{at}: shorter than {node['minLength']}")
    if "pattern" in node and not re.search(node["pattern"], document):
        found.append(f"{at}: does not match {node['pattern']}")
    if isinstance(document, dict):
        found += [f"{at}: {key} missing" for key in node.get("required", ()) if key not in document]
        for key, sub in node.get("properties", {}).items():
            if key in document:
                found += errors(document[key], sub, root, f"{at}.{key}")
    if isinstance(document, list) and "items" in node:
        for index, item in enumerate(document):
            found += errors(item, node["items"], root, f"{at}[{index}]")
    if "oneOf" in node:
        matching = [sub for sub in node["oneOf"] if not errors(document, sub, root, at)]
        if len(matching) != 1:
            found.append(f"{at}: matches {len(matching)} of oneOf, not exactly one")
    return found
