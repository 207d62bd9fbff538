"""A large synthetic form (100 fields, 50 conditions) for the benchmark and its test."""

from __future__ import annotations

TYPES = ["text", "number", "date", "choice", "yesno", "email", "postcode", "textarea", "iban"]
VALUES = {
    "text": "Anna Muster",
    "number": "42",
    "date": "01.02.1990",
    "choice": "b",
    "yesno": "yes",
    "email": "anna@example.com",
    "postcode": "12345",
    "textarea": "Some longer text\nover two lines",
    "iban": "DE89 3704 0044 0532 0130 00",
}


def big_definition(fields: int = 100, conditions: int = 50, per_step: int = 10) -> dict:
    steps = []
    for s in range(fields // per_step):
        step_fields = []
        for i in range(per_step):
            n = s * per_step + i
            kind = TYPES[n % len(TYPES)]
            field = {
                "key": f"f{n}",
                "type": kind,
                "label": {"de": f"Feld {n}", "en": f"Field {n}"},
                "required": True,
            }
            if kind == "choice":
                field["options"] = [{"value": v, "label": v.upper()} for v in "abc"]
            if kind == "text":
                field["validation"] = {"min_length": 2, "max_length": 80}
            if kind == "number":
                field["validation"] = {"min": 0, "max": 1000}
            # every other field from the second on depends on an earlier one
            if n % 2 == 1 and n // 2 < conditions:
                earlier = n - 1
                field["show_if"] = {
                    "or": [
                        {"!!": {"var": f"f{earlier}"}},
                        {">": [{"var": "f1"}, 10]},
                    ]
                }
            step_fields.append(field)
        steps.append({"key": f"s{s}", "title": f"Step {s}", "fields": step_fields})
    return {"steps": steps, "fee": {"amount": {"+": [1000, {"*": [10, {"var": "f1"}]}]}}}


def big_answers(fields: int = 100) -> dict:
    return {f"f{n}": VALUES[TYPES[n % len(TYPES)]] for n in range(fields)}
