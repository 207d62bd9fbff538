"""What the builder's pages show, read from a definition: steps and questions with their
conditions and rules in words, the fee in words, and the choices of the lists the clerk picks
from. No writes here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portalwerk.platform.accounts.identity.assurance import AccountKind, Level
from portalwerk.platform.forms.builder import conditions as cond
from portalwerk.platform.forms.builder import definition as d
from portalwerk.platform.forms.builder import fees as fee_kinds
from portalwerk.platform.forms.builder.fieldedit import TYPE_NAMES, type_name
from portalwerk.platform.forms.builder.values import euros, shown_date, shown_number
from portalwerk.platform.forms.engine.fieldtypes import kinds
from portalwerk.platform.forms.engine.specs import localize
from portalwerk.platform.forms.fees import format_fee


def field_types() -> list[tuple[str, str]]:
    """(kind, name) of every type the engine has, in the builder's order."""
    known = kinds()
    ordered = [k for k in TYPE_NAMES if k in known] + sorted(known - set(TYPE_NAMES))
    return [(k, type_name(k)) for k in ordered]


def all_fields(definition: dict) -> dict[str, dict]:
    """Path -> field, for the words of conditions (a group's fields under both their path and,
    for the conditions inside the group, their own key)."""
    found: dict[str, dict] = {}
    for _s, f in d.top_fields(definition):
        found[f.get("key")] = f
        for child in f.get("fields") or []:
            found[f"{f.get('key')}.{child.get('key')}"] = child
    return found


def rules_in_words(f: dict, known: dict[str, dict]) -> list[str]:
    """What the page says about a question's validation rules."""
    v = f.get("validation") or {}
    out = []
    if v.get("min_length"):
        out.append(_("at least %(n)s characters") % {"n": v["min_length"]})
    if v.get("max_length"):
        out.append(_("at most %(n)s characters") % {"n": v["max_length"]})
    if v.get("pattern"):
        out.append(_("pattern %(p)s") % {"p": v["pattern"]})
    if "min" in v:
        out.append(_("at least %(n)s") % {"n": shown_number(v["min"])})
    if "max" in v:
        out.append(_("at most %(n)s") % {"n": shown_number(v["max"])})
    if v.get("integer"):
        out.append(_("whole numbers only"))
    for name, words in (("after", _("after %(d)s")), ("before", _("before %(d)s"))):
        if v.get(name):
            value = v[name]
            out.append(words % {"d": shown_date(value) if value[:1].isdigit() else value})
    if v.get("file_types"):
        out.append(", ".join(k.upper() for k in v["file_types"]))
    if v.get("max_size"):
        out.append(_("up to %(mb)s MB") % {"mb": shown_number(v["max_size"] / 1_000_000)})
    if f.get("multiple"):
        out.append(_("several files"))
    if f.get("type") in ("choice", "multichoice") and f.get("options"):
        labels = [localize(o.get("label") or o.get("value")) for o in f["options"]]
        out.append(_("options: %(list)s") % {"list": ", ".join(labels)})
    if f.get("options_from"):
        out.append(_("options from the data source %(key)s") % {"key": f["options_from"]})
    return out


def field_row(f: dict, path: str, known: dict[str, dict], lang: str | None, base: str = "") -> dict:
    """A question as the pages show it; `base` is the builder page's address, from which the
    addresses of its actions are made (reversing each of them for 40 questions would cost a
    third of the page's time)."""
    scope = dict(known)
    if "." in path:  # inside a group, a condition reads the item's own fields by their key
        group = path.split(".")[0]
        scope.update({k.split(".", 1)[1]: v for k, v in known.items() if k.startswith(group + ".")})
    return {
        "path": path,
        "anchor": "field-" + path.replace(".", "-"),
        "key": f.get("key"),
        "label": localize(f.get("label") or f.get("text") or f.get("key"), lang),
        "type": f.get("type"),
        "type_name": type_name(f.get("type")),
        "required": bool(f.get("required")),
        "show_if": cond.in_words(f["show_if"], scope, lang) if f.get("show_if") else "",
        "require_if": cond.in_words(f["require_if"], scope, lang) if f.get("require_if") else "",
        "rules": rules_in_words(f, known),
        "urls": {
            name: f"{base}fields/{path}/{tail}"
            for name, tail in (("change", ""), ("move", "move/"), ("remove", "remove/"))
        },
        "children": [
            field_row(c, f"{path}.{c.get('key')}", known, lang, base) for c in f.get("fields") or []
        ]
        if f.get("type") == "repeat"
        else [],
    }


def steps(definition: dict, lang: str | None, base: str = "") -> list[dict]:
    known = all_fields(definition)
    out = []
    items = d.steps(definition)
    for index, s in enumerate(items):
        title = s.get("title") if isinstance(s.get("title"), dict) else {"de": s.get("title")}
        out.append(
            {
                "key": s.get("key"),
                "number": index + 1,
                "first": index == 0,
                "last": index == len(items) - 1,
                "single": len(s.get("fields") or []) == 1,
                "title": localize(s.get("title") or s.get("key"), lang),
                "title_de": title.get("de") or "",
                "title_en": title.get("en") or "",
                "skip_if": cond.in_words(s["skip_if"], known, lang) if s.get("skip_if") else "",
                "fields": [
                    field_row(f, f.get("key"), known, lang, base) for f in s.get("fields") or []
                ],
                "urls": {
                    name: f"{base}steps/{s.get('key')}/{tail}"
                    for name, tail in (
                        ("change", ""),
                        ("move", "move/"),
                        ("remove", "remove/"),
                        ("add_field", "fields/add/"),
                        ("condition", "conditions/skip_if/"),
                    )
                },
            }
        )
    return out


def fee_in_words(definition: dict, lang: str | None) -> str:
    fee = fee_kinds.read_fee(definition.get("fee"))
    known = all_fields(definition)
    source = known.get(fee.field) or {}
    name = localize(source.get("label") or fee.field, lang)
    if fee.kind == fee_kinds.NONE:
        return _("No fee.")
    if fee.kind == fee_kinds.FIXED:
        return _("%(amount)s for every application.") % {"amount": format_fee(fee.amount)}
    if fee.kind == fee_kinds.PER_ENTRY:
        return _("%(amount)s for each entry of “%(field)s”.") % {
            "amount": format_fee(fee.amount),
            "field": name,
        }
    if fee.kind == fee_kinds.BY_ANSWER:
        parts = [
            _("%(amount)s if “%(field)s” is “%(value)s”")
            % {
                "amount": format_fee(cents),
                "field": name,
                "value": cond.shown_value(source, value, lang),
            }
            for value, cents in fee.per_value.items()
        ]
        parts.append(_("otherwise %(amount)s") % {"amount": format_fee(fee.amount or 0)})
        return "; ".join(parts) + "."
    return _("A fee calculated by a rule set in the expert view.")


def fee_form(definition: dict, kind: str | None, key: str | None, lang: str | None) -> dict:
    """The fee page's inputs: the stored fee, or the kind and question just chosen."""
    fee = fee_kinds.read_fee(definition.get("fee"))
    kind = kind or fee.kind
    key = key if key is not None else fee.field
    top = [f for _s, f in d.top_fields(definition)]
    source = next((f for f in top if f.get("key") == key), None)
    values = []
    if kind == fee_kinds.BY_ANSWER and source is not None:
        for n, (value, label) in enumerate(cond.value_choices(source, lang)):
            typed, _p = cond.typed_value(source, "is", value)
            values.append({"n": n, "label": label, "amount": euros(fee.per_value.get(typed))})
    return {
        "kind": kind,
        "field": key or "",
        "amount": euros(fee.amount),
        "label_de": fee.label.get("de", ""),
        "label_en": fee.label.get("en", ""),
        "values": values,
        "answer_fields": [
            (f["key"], localize(f.get("label"), lang))
            for f in top
            if f.get("type") in ("choice", "yesno", "declaration")
        ],
        "groups": [
            (f["key"], localize(f.get("label"), lang)) for f in top if f.get("type") == "repeat"
        ],
        "custom": fee.kind == fee_kinds.CUSTOM,
    }


def sign_in(definition: dict) -> dict:
    raw = definition.get("sign_in") or {}
    return {
        "level": raw.get("level") or Level.NONE.value,
        "account": raw.get("account") or "",
        "levels": Level.choices,
        "accounts": AccountKind.choices,
    }


def condition_form(definition: dict, candidates: list[dict], rule, chosen: str | None, lang):
    """The condition page's lists: the questions to choose from and, once one is chosen (or
    from the stored rule), how to compare and the values to choose from."""
    current = cond.read_condition(rule) if rule is not None else None
    key = chosen if chosen is not None else (current.field if current else "")
    source = next((f for f in candidates if f.get("key") == key), None)
    same = current is not None and source is not None and current.field == key
    return {
        "custom": rule is not None and current is None,
        "fields": [
            (f["key"], localize(f.get("label") or f["key"], lang))
            for f in candidates
            if f.get("type") != "info"
        ],
        "field": key if source else "",
        "source_type": source.get("type") if source else "",
        "ops": [(op, cond.OPERATORS[op]) for op in cond.operators_for(source)] if source else [],
        "op": current.op if same else "",
        "values": cond.value_choices(source, lang) if source else [],
        "value": cond.input_value(source, current) if same else "",
        "no_value_ops": sorted(cond.NO_VALUE),
    }
