"""The form engine: a definition (JSON) turned into steps and fields, and answers validated from it.

Everything a citizen sends is checked here, on the server, from the definition alone: the page, the
GraphQL API and the submit service all call `FormSpec.clean_step` / `FormSpec.clean_all`, so the
messages are the same wherever the answers came from. Values are normalised on the way in
(`"12,5"` → 12.5, `"yes"` → True, `"de89 3704…"` → `"DE893704…"`).

A definition:

    {"steps": [{"key": "person", "title": {"de": "…", "en": "…"}, "skip_if": <logic>,
                "fields": [{"key": "name", "type": "text", "label": {…}, "hint": {…},
                            "required": true, "show_if": <logic>, "require_if": <logic>,
                            "validation": {"min_length": 2, "max_length": 80, "pattern": "…",
                                           "min": 0, "max": 10, "integer": true,
                                           "after": "today-100y", "before": "today",
                                           "file_types": ["pdf", "png"], "max_size": 5000000},
                            "options": [{"value": "a", "label": {…}}],
                            "fields": [...],  # for "repeat"
                            "min_items": 1, "max_items": 5}]}],
     "fee": {"amount": 1500 | <logic giving cents>, "label": {…}},
     "sign_in": {"level": "none|low|substantial|high", "account": "person|business"}}

Conditions are JSON logic (see `forms/logic.py`); inside a repeating group they see the item first.

The engine's modules, each imported from directly (this package re-exports nothing):

- `specs`: what a parsed definition is made of (`FieldSpec`, `StepSpec`, `FeeSpec`),
  `FieldError`, `UploadInfo`, `DefinitionError` and `localize`.
- `fieldtypes`: one class per field type (`@register`), each reading its own part of a
  definition, cleaning a value, reading it from a page's POST, building its widget's context and
  displaying an answer. A new field type is one module there.
- `parsing`: one field of a definition checked and turned into a `FieldSpec`; conditions compiled.
- `form`: `FormSpec`, the whole form: built from a definition, steps and fee read from it,
  answers validated and summarised for display.
- `signin`: the sign-in a form needs (`SignInRequirement`), read against the session's
  `accounts.identity.assurance.SignedInWith` by the services.
- `values`: reading raw values (dates and today±N offsets, IBANs, yes/no, emptiness).
- `messages`: the messages shared by the field types and the upload service.
"""
