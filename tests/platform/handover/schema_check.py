"""Checks a JSON document against docs/handover/submission-1.schema.json with jsonschema (the
schema's own draft, 2020-12, with its formats)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "docs/handover/submission-1.schema.json"


def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text())


@cache
def _validator() -> Draft202012Validator:
    document = schema()
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(document) -> list[str]:
    """What in `document` the schema does not allow, one line each (empty when it conforms)."""
    found = _validator().iter_errors(document)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(document)'}: {e.message}" for e in found]
