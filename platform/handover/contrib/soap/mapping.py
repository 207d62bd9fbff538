"""The tenant's field mapping: which value goes where in the operation's request message.

A mapping is written one rule a line, `<path in the message> = <source>:<what>`, for example

    Vorgangskennung = parcel:idempotency_key
    Antragsart = fixed:Fischereischein
    Antragsteller.Name = answer:last_name
    Gewaesser = text:water
    Anlage = files:Dateiname,MimeType,Inhalt

and stored as a list of `{"path", "source", "value"}` (docs/handover/soap.md lists the sources).
`problems` checks a mapping against the operation as zeep read it from the WSDL, `message` fills
it from a parcel."""

from __future__ import annotations

import datetime
import mimetypes
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from zeep.xsd.types.builtins import Base64Binary, Date, DateTime
from zeep.xsd.types.complex import ComplexType

from portalwerk.platform.handover.parcel import Parcel, ParcelFile

SOURCES = ("answer", "text", "fixed", "parcel", "files", "uploads")
FILE_SOURCES = ("files", "uploads")


def _fee(parcel: Parcel) -> Decimal | None:
    return Decimal(parcel.fee_cents) / 100 if parcel.fee_cents else None


#: facts of the parcel a rule may name (`parcel:<fact>`)
PARCEL_FACTS = {
    "idempotency_key": lambda p: p.idempotency_key,
    "reference": lambda p: p.reference,
    "submitted_at": lambda p: p.submitted_at,
    "submitted_on": lambda p: timezone.localdate(p.submitted_at),  # the office's date
    "form_slug": lambda p: p.form_slug,
    "form_title": lambda p: p.form_title,
    "form_version": lambda p: p.form_version,
    "language": lambda p: p.language,
    "applicant_name": lambda p: p.applicant_name or None,
    "applicant_email": lambda p: p.applicant_email or None,
    "fee": _fee,
    "fee_cents": lambda p: p.fee_cents,
    "payment_reference": lambda p: p.payment_reference or None,
    "payment_status": lambda p: p.payment_status or None,
    "status_url": lambda p: p.status_url or None,
    "tenant_name": lambda p: p.tenant_name,
}

_PATH = re.compile(r"^[A-Za-z_][\w.-]*(\.[A-Za-z_][\w.-]*)*$")


@dataclass(frozen=True)
class Rule:
    path: str
    source: str
    value: str

    def as_json(self) -> dict:
        return {"path": self.path, "source": self.source, "value": self.value}

    @classmethod
    def of(cls, data: Mapping) -> Rule:
        return cls(str(data["path"]), str(data["source"]), str(data.get("value", "")))

    @property
    def file_parts(self) -> list[str]:
        return [part.strip() for part in self.value.split(",")]


def parse(text: str) -> tuple[list[Rule], list[str]]:
    """The rules of a mapping's text, and what is wrong with its lines (by line number)."""
    rules, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        path, equals, source = (part.strip() for part in line.partition("="))
        kind, colon, value = (part.strip() for part in source.partition(":"))
        if not equals or not colon or not _PATH.match(path):
            problems.append(
                _("Line %(line)d: write “path in the message = source:value”.") % {"line": number}
            )
        elif kind not in SOURCES:
            problems.append(
                _("Line %(line)d: “%(source)s” is not a source; use one of %(sources)s.")
                % {"line": number, "source": kind, "sources": ", ".join(SOURCES)}
            )
        elif kind == "parcel" and value not in PARCEL_FACTS:
            problems.append(
                _(
                    "Line %(line)d: “%(fact)s” is not a fact of the application; "
                    "use one of %(facts)s."
                )
                % {"line": number, "fact": value, "facts": ", ".join(PARCEL_FACTS)}
            )
        elif kind in FILE_SOURCES and len([p for p in value.split(",") if p.strip()]) != 3:
            problems.append(
                _(
                    "Line %(line)d: name the three elements of one file: "
                    "files:<file name>,<MIME type>,<content>."
                )
                % {"line": number}
            )
        elif kind in ("answer", "text") and not value:
            problems.append(_("Line %(line)d: name the answer's field key.") % {"line": number})
        else:
            rules.append(Rule(path, kind, value))
    return rules, problems


def dump(rules: Iterable[Mapping | Rule]) -> str:
    lines = []
    for rule in rules:
        rule = rule if isinstance(rule, Rule) else Rule.of(rule)
        lines.append(f"{rule.path} = {rule.source}:{rule.value}")
    return "\n".join(lines)


# --- checking against the operation ---------------------------------------------------------


def _children(xsd_type) -> dict[str, Any]:
    if not isinstance(xsd_type, ComplexType):
        return {}
    return {name: element for name, element in xsd_type.elements}


def _repeats(element) -> bool:
    return element.max_occurs == "unbounded" or int(element.max_occurs or 1) > 1


def _resolve(root, path: str):
    """The element at `path` below `root`, or the sentence saying where the path goes wrong."""
    element = root
    walked = []
    for part in path.split("."):
        children = _children(element.type)
        if not children:
            return None, _("“%(path)s”: “%(at)s” has no parts.") % {
                "path": path,
                "at": ".".join(walked) or root.name,
            }
        if part not in children:
            return None, _("“%(path)s” is not in the message; at this place it has: %(names)s.") % {
                "path": path,
                "names": ", ".join(children),
            }
        if walked and _repeats(element):
            return None, _("“%(path)s” goes through “%(at)s”, which repeats.") % {
                "path": path,
                "at": ".".join(walked),
            }
        element = children[part]
        walked.append(part)
    return element, None


def problems(root, rules: list[Rule]) -> list[str]:
    """What keeps `rules` from making a valid request for the operation whose request body is
    the zeep element `root`: unknown paths, a value for a part that has parts, files where
    no file fits, required parts left out, no idempotency key."""
    found, seen = [], set()
    for rule in rules:
        if rule.path in seen:
            found.append(_("“%(path)s” is mapped twice.") % {"path": rule.path})
            continue
        seen.add(rule.path)
        element, problem = _resolve(root, rule.path)
        if problem:
            found.append(problem)
        elif rule.source in FILE_SOURCES:
            found.extend(_file_problems(element, rule))
        elif _children(element.type):
            found.append(
                _("“%(path)s” has parts of its own (%(names)s); map those instead.")
                % {"path": rule.path, "names": ", ".join(_children(element.type))}
            )
    found.extend(_missing(root, "", {rule.path for rule in rules}))
    if not any(r.source == "parcel" and r.value == "idempotency_key" for r in rules):
        found.append(
            _(
                "Map parcel:idempotency_key to the part by which the receiving system "
                "recognises an application it already has, so that a repeat is stored once."
            )
        )
    return found


def _file_problems(element, rule: Rule) -> list[str]:
    children = _children(element.type)
    if not children or not _repeats(element):
        return [
            _("“%(path)s” cannot hold files: it must be a part that repeats and has parts.")
            % {"path": rule.path}
        ]
    found = [
        _("“%(path)s” has no part “%(name)s”.") % {"path": rule.path, "name": name}
        for name in rule.file_parts
        if name not in children
    ]
    content = children.get(rule.file_parts[2])
    if content is not None and not isinstance(content.type, Base64Binary):
        found.append(
            _("“%(path)s.%(name)s” must be of type base64Binary to hold a file's content.")
            % {"path": rule.path, "name": rule.file_parts[2]}
        )
    return found


def _missing(element, prefix: str, mapped: set[str]) -> list[str]:
    """Required parts below a present `element` that no rule fills (a part with parts is
    present when required or when a rule goes into it)."""
    found = []
    for name, child in _children(element.type).items():
        path = f"{prefix}{name}"
        inside = any(p == path or p.startswith(path + ".") for p in mapped)
        required = not child.is_optional and int(child.min_occurs or 0) > 0
        if path in mapped:
            continue
        if _children(child.type):
            if required or inside:
                found.extend(_missing(child, path + ".", mapped))
        elif required:
            found.append(_("“%(path)s” is required by the operation; map it.") % {"path": path})
    return found


def response_problem(root, path: str) -> str | None:
    if not path:
        return None
    element, problem = _resolve(root, path)
    if problem:
        return problem
    if _children(element.type):
        return _("“%(path)s” in the answer has parts; name the one with the case number.") % {
            "path": path
        }
    return None


# --- filling the message --------------------------------------------------------------------


def _lookup(answers: Mapping, key: str):
    value: Any = answers
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _file(parcel_file: ParcelFile, parts: list[str]) -> dict:
    mime = mimetypes.types_map.get(f".{parcel_file.kind}", "application/octet-stream")
    return {parts[0]: parcel_file.name, parts[1]: mime, parts[2]: parcel_file.read()}


def _value(rule: Rule, parcel: Parcel):
    if rule.source == "fixed":
        return rule.value
    if rule.source == "parcel":
        return PARCEL_FACTS[rule.value](parcel)
    if rule.source == "text":
        texts = {answer.key: answer.text for answer in parcel.answer_list}
        return texts.get(rule.value) or None
    if rule.source == "answer":
        return _lookup(parcel.answers, rule.value)
    files = list(parcel.files)
    if rule.source == "files" and parcel.receipt is not None:
        files.insert(0, parcel.receipt)
    return [_file(f, rule.file_parts) for f in files] or None


def _typed(value, element):
    """A value as the leaf's type takes it: dates from German or ISO text, lists joined where
    the part does not repeat; None for empty answers (the part is left out)."""
    if value in (None, "", [], {}):
        return None
    if isinstance(value, list) and not _repeats(element):
        value = ", ".join(str(v) for v in value)
    if isinstance(element.type, Date):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, str) and re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", value):
            day, month, year = (int(x) for x in value.split("."))
            return datetime.date(year, month, day)
    if isinstance(element.type, DateTime) and isinstance(value, datetime.date):
        if not isinstance(value, datetime.datetime):
            value = datetime.datetime.combine(value, datetime.time())
    if isinstance(value, dict):
        value = ", ".join(str(v) for v in value.values() if v not in (None, ""))
    return value


def message(root, rules: list[Rule], parcel: Parcel) -> dict:
    """The request's parts as zeep takes them (nested dicts, lists for repeating parts).
    Parts whose source is empty are left out; a part with parts that ends up empty too."""
    body: dict = {}
    for rule in rules:
        element, problem = _resolve(root, rule.path)
        if problem:
            raise ValueError(problem)
        value = _value(rule, parcel)
        if rule.source not in FILE_SOURCES:
            value = _typed(value, element)
        if value is None:
            continue
        *parents, leaf = rule.path.split(".")
        place = body
        for part in parents:
            place = place.setdefault(part, {})
        place[leaf] = value
    return body


def reference_of(result, path: str) -> str:
    """The case number at `path` in the operation's answer (zeep's object, or the lone value
    zeep gives for an answer of one part)."""
    if not path:
        return ""
    value = result
    for part in path.split("."):
        if value is None or isinstance(value, str | int | Decimal):
            break
        value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
    return "" if value is None else str(value)
