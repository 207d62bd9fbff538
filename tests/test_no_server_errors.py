"""Nothing a user types becomes a 500 (DESIGN.md, "Errors users can cause are values").

A crawler walks every URL pattern of the tenant host and of the platform host, fills the path
converters with junk and with plausible values that name nothing, and requests each page with GET
(plain and with a junk query string) and with a POST of junk form data — as an anonymous visitor,
as a citizen and as a clerk. Then it sends the tenant API's operations with junk variables. Every
answer must be a value: a page, a redirect, a 4xx; in GraphQL a payload error or a readable error,
never the "Unexpected error." mask of a crash. All failures are collected and reported together.
"""

from __future__ import annotations

import itertools
import json
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import from_user
from tests.helpers.appointments import make_office
from tests.helpers.forms import (
    DEFINITION,
    FEE_DEFINITION,
    FISHING_LICENCE,
    PNG,
    make_submission,
    publish_form,
)

TENANT_HOST = "alpha.localhost"
PUBLIC_HOST = "localhost"

HUGE = "99999999999999999999"
MALFORMED_DATE = "2026-13-45"
SQL = "' OR 1=1 --"
UNICODE = "Grüße 😀 \u202e العربية"
UNKNOWN_REFERENCE = "ALP-2026-999999"
NUL = "a\x00b"  # PostgreSQL's text cannot hold it
HUGE_NAME = "n" * 5000
EXTREME_DATES = ["9999-12-31", "0001-01-01"]

# Values per path converter: junk, and plausible values that name nothing.
CONVERTER_VALUES = {
    "int": ["0", HUGE],
    "slug": ["unknown-slug"],
    "str": ["abc", UNKNOWN_REFERENCE, NUL],
    "uuid": [str(uuid.UUID(int=0x1234_5678_9ABC_DEF0_1234_5678_9ABC_DEF0))],
    "path": ["abc", "0", NUL],
}
# The form the fixture publishes: a real slug lets the crawler reach past the form lookup.
FORM_SLUG = "crawler-dog"

JUNK_VALUES = ["", MALFORMED_DATE, HUGE, "-1", UNICODE, SQL, "abc", "0", NUL, HUGE_NAME]
JUNK_VALUES += EXTREME_DATES
# The upload fields of the forms the fixture publishes, and the names upload views read.
UPLOAD_FIELDS = ["photo", "attachment"]
# Names the views and forms read (request.POST/GET keys, form fields, form-assistant fields).
FIELD_NAMES = [
    "account_id",
    "action",
    "amount",
    "amount_cents",
    "assignee",
    "body",
    "date",
    "day",
    "email",
    "first_name",
    "last_name",
    "full_name",
    "format",
    "from",
    "to",
    "has_dog",
    "dog_name",
    "duration",
    "idempotency_key",
    "ids",
    "key",
    "name",
    "new_password1",
    "new_password2",
    "next",
    "note",
    "office",
    "outcome",
    "password",
    "phone",
    "q",
    "reason",
    "result",
    "return",
    "service",
    "services",
    "start",
    "starts_at",
    "status",
    "submitted",
    "time",
    "token",
    "language",
]


def _junk_data(variant: int, *, nul: bool = True) -> dict:
    """One junk value per field name, rotating through the junk so each field sees several.

    A NUL in a query string is refused with 400 before any view runs, so GETs leave it out (it
    would hide every other junk value from the views); POSTs carry it, and an upload whose file
    name is 5,000 characters long."""
    junk = [value for value in JUNK_VALUES if nul or value != NUL]
    data = {name: junk[(index + variant) % len(junk)] for index, name in enumerate(FIELD_NAMES)}
    if nul:
        for field in UPLOAD_FIELDS:
            data[field] = SimpleUploadedFile(HUGE_NAME + ".png", PNG, content_type="image/png")
    return data


def _is_pure_django_admin(pattern: URLPattern) -> bool:
    module = getattr(pattern.callback, "__module__", "")
    return module.startswith(("django.contrib.admin", "django.contrib.contenttypes")) or (
        module.startswith("django.views.generic") and pattern.name is None
    )


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif not _is_pure_django_admin(pattern):
            yield prefix + str(pattern.pattern)


PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _fill(route: str, extra: dict[str, list[str]]) -> list[str]:
    """Every combination of converter values for the route's parameters (regex routes, if any,
    are skipped: only Django admin uses them here)."""
    if route.startswith("^") or "(?P<" in route:
        return []
    params = PARAM.findall(route)
    choices = []
    for converter, name in params:
        converter = converter or "str"
        choices.append(CONVERTER_VALUES[converter] + extra.get(name, []))
    urls = []
    for combination in itertools.product(*choices):
        values = iter(combination)
        urls.append("/" + PARAM.sub(lambda _m, values=values: next(values), route))
    return urls


def _urls(urlconf: str, extra: dict[str, list[str]]) -> list[str]:
    routes = list(dict.fromkeys(_walk(get_resolver(urlconf).url_patterns)))
    return [url for route in routes for url in _fill(route, extra)]


def _request(client, method: str, url: str, data: dict | None, failures: list, who: str):
    try:
        with transaction.atomic():
            if method == "POST":
                response = client.post(url, data or {})
            else:
                response = client.get(url, data or {})
            status = response.status_code
            if status >= 500:
                exc = getattr(response, "exc_info", None)
                detail = f"{exc[0].__name__}: {exc[1]}" if exc else ""
                failures.append(f"{status} {method} {client.host}{url} as {who} {detail}"[:400])
            # Keep nothing the request wrote; the next one starts from the same state.
            transaction.set_rollback(True)
    except Exception as error:  # a crash outside the view (middleware, test client)
        failures.append(f"EXC {method} {client.host}{url} as {who}: {error!r}"[:400])


@pytest.fixture
def crawler_clients(
    client_for, tenant_a, citizen, clerk, tenant_admin, operator, settings, tmp_path
):
    """The personas' clients, and real objects for the crawler to aim at: a published form with
    a draft of the citizen, a submitted application with a fee, an office that takes
    appointments."""
    from django.core.cache import cache

    from portalwerk.platform.forms import services as forms

    cache.clear()  # rate limits of earlier tests
    settings.MEDIA_ROOT = tmp_path / "media"

    def make(host, email=None):
        client = client_for(host)
        client.raise_request_exception = False
        if email:
            assert client.sign_in(email).status_code == 302
        return client

    with schema_context(tenant_a.schema_name):
        form = publish_form(clerk, FORM_SLUG, {"de": "Hund", "en": "Dog"}, DEFINITION)
        draft = forms.start_draft(actor=from_user(citizen), form=form)
        fee_form = publish_form(clerk, "crawler-fee", FISHING_LICENCE, FEE_DEFINITION)
        submission = make_submission(fee_form, citizen)
        office = make_office().office
        version_pk = form.versions.get().pk
    targets = {
        "slug": [FORM_SLUG, office.slug],
        "step_key": ["person", "dog"],
        "draft_id": [str(draft.id)],
        "reference": [submission.reference],
        "submission_id": [str(submission.pk)],
        "object_id": [str(submission.pk)],
        "pk": [str(version_pk)],
    }
    return targets, {
        "tenant": [
            ("anonymous", make(TENANT_HOST)),
            ("citizen", make(TENANT_HOST, citizen.email)),
            ("clerk", make(TENANT_HOST, clerk.email)),
            # the audit log, staff, payment account and statement pages are the admin's alone
            ("tenant admin", make(TENANT_HOST, tenant_admin.email)),
        ],
        # the operator console and the technical administration are the operator's
        "public": [
            ("anonymous", make(PUBLIC_HOST)),
            ("operator", make(PUBLIC_HOST, operator.email)),
        ],
    }


def test_no_url_answers_with_a_server_error(crawler_clients):
    targets, clients = crawler_clients
    failures: list[str] = []
    plan = [
        ("tenant", _urls("portalwerk.platform.urls_tenant", targets)),
        ("public", _urls("portalwerk.platform.urls_public", {})),
    ]
    for host_key, urls in plan:
        assert urls
        # Signing out last keeps each persona signed in for the rest of the walk.
        urls = sorted(urls, key=lambda url: url.rstrip("/").endswith("sign-out"))
        for who, client in clients[host_key]:
            for index, url in enumerate(urls):
                _request(client, "GET", url, None, failures, who)
                _request(client, "GET", url, _junk_data(index, nul=False), failures, who)
                _request(client, "POST", url, _junk_data(index + 1), failures, who)
    assert not failures, "server errors:\n" + "\n".join(failures)


# --- the tenant API -----------------------------------------------------------------------------

MASK = "Unexpected error."
OTHER_TYPES_ID = "Q2F0ZWdvcnk6MQ=="  # Category:1
BAD_IDS = ["", "abc", "!!!", "U2VydmljZTo5OTk5OTk5OTk5OTk5OTk5OTk5", OTHER_TYPES_ID, "-1", HUGE]

OPERATIONS = {
    "service": ("query Q($id: ID!) { service(id: $id) { id name } }", [{"id": i} for i in BAD_IDS]),
    "office": ("query Q($id: ID!) { office(id: $id) { id name } }", [{"id": i} for i in BAD_IDS]),
    "services": (
        "query Q($first: Int, $after: String, $search: String) "
        "{ services(first: $first, after: $after, search: $search) { edges { node { id } } } }",
        [
            {"first": -1},
            {"first": 2**31 - 1},
            {"first": 10, "after": "abc"},
            {"search": SQL},
            {"search": ""},
        ],
    ),
    "form": (
        "query Q($slug: String!) { form(slug: $slug) { slug } }",
        [{"slug": s} for s in ["", SQL, UNICODE, "x" * 500]],
    ),
    "draft": ("query Q($id: ID!) { draft(id: $id) { id } }", [{"id": i} for i in BAD_IDS]),
    "inbox": (
        "query Q($first: Int!, $after: String) { inbox(first: $first, after: $after) "
        "{ totalCount edges { node { id } } } }",
        [{"first": -1}, {"first": 2**31 - 1}, {"first": 10, "after": "abc"}],
    ),
    "inboxSubmission": (
        "query Q($id: ID!) { inboxSubmission(id: $id) { id } }",
        [{"id": i} for i in BAD_IDS],
    ),
    "availableDays": (
        "query Q($s: [ID!]!, $o: ID!, $from: Date, $to: Date) "
        "{ availableDays(serviceIds: $s, officeId: $o, from: $from, to: $to) }",
        [{"s": [i], "o": i, "from": "2026-01-01", "to": "2026-01-31"} for i in BAD_IDS]
        + [
            {"s": [], "o": "abc", "from": MALFORMED_DATE},
            {"s": ["abc"], "o": "abc", "from": "2026-12-31", "to": "2026-01-01"},
            {"s": ["abc"], "o": "abc", "from": "0001-01-01", "to": "9999-12-31"},
        ],
    ),
    "availableTimes": (
        "query Q($s: [ID!]!, $o: ID!, $d: Date!) "
        "{ availableTimes(serviceIds: $s, officeId: $o, date: $d) { startsAt } }",
        [{"s": [i], "o": i, "d": "2026-06-01"} for i in BAD_IDS]
        + [{"s": [], "o": "", "d": MALFORMED_DATE}, {"s": ["1"], "o": "1", "d": "9999-12-31"}],
    ),
    "appointmentsOfDay": (
        "query Q($o: ID!, $d: Date!, $first: Int) "
        "{ appointmentsOfDay(officeId: $o, date: $d, first: $first) { edges { node { id } } } }",
        [{"o": i, "d": "2026-06-01", "first": -1} for i in BAD_IDS]
        + [{"o": "1", "d": "2026-06-01", "first": 2**31 - 1}],
    ),
    "payment": ("query Q($id: ID!) { payment(id: $id) { id } }", [{"id": i} for i in BAD_IDS]),
    "reconciliation": (
        "query Q($a: Date!, $b: Date!) { reconciliation(dateFrom: $a, dateTo: $b) { __typename } }",
        [{"a": "2026-12-31", "b": "2026-01-01"}, {"a": MALFORMED_DATE, "b": ""}],
    ),
    "holdAppointment": (
        "mutation M($input: HoldAppointmentInput!) { holdAppointment(input: $input) "
        "{ errors { field code message } appointment { id } } }",
        [
            {
                "input": {
                    "serviceIds": [i],
                    "officeId": i,
                    "startsAt": "2026-06-01T10:00:00+02:00",
                    "name": name,
                    "email": email,
                    "phone": UNICODE,
                }
            }
            for i in BAD_IDS
            for name, email in [("", ""), (SQL, "not-an-email")]
        ]
        + [
            {
                "input": {
                    "serviceIds": [],
                    "officeId": "1",
                    "startsAt": "2026-13-45T99:00:00",
                    "name": "x",
                }
            },
            {
                "input": {
                    "serviceIds": ["1"],
                    "officeId": "1",
                    "startsAt": "0001-01-01T00:00:00",
                    "name": "x" * 5000,
                }
            },
        ],
    ),
    "confirmAppointment": (
        "mutation M($id: ID, $token: String) { confirmAppointment(id: $id, token: $token) "
        "{ errors { field code message } appointment { id } } }",
        [{"id": i} for i in BAD_IDS] + [{"token": t} for t in ["", "abc", SQL]] + [{}],
    ),
    "cancelAppointment": (
        "mutation M($id: ID, $token: String) { cancelAppointment(id: $id, token: $token) "
        "{ errors { field code message } appointment { id } } }",
        [{"id": i} for i in BAD_IDS] + [{"token": t} for t in ["", "abc", SQL]] + [{}],
    ),
    "rescheduleAppointment": (
        "mutation M($s: DateTime!, $id: ID, $token: String) "
        "{ rescheduleAppointment(startsAt: $s, id: $id, token: $token) "
        "{ errors { field code message } } }",
        [{"s": "2026-06-01T10:00:00+02:00", "id": i} for i in BAD_IDS]
        + [{"s": "2026-13-45T10:00:00", "token": "abc"}, {"s": "0001-01-01T00:00:00"}],
    ),
    "startPayment": (
        "mutation M($ref: String!) "
        "{ startPayment(submissionReference: $ref) { errors { field code message } } }",
        [{"ref": i} for i in [*BAD_IDS, UNKNOWN_REFERENCE]],
    ),
    "refundPayment": (
        "mutation M($input: RefundPaymentInput!) { refundPayment(input: $input) "
        "{ errors { field code message } } }",
        [
            {"input": {"paymentId": i, "reason": reason, "amountCents": amount}}
            for i in [*BAD_IDS, str(uuid.UUID(int=1))]
            for reason, amount in [("", -1), (SQL, 2**31 - 1), (UNICODE, 0)]
        ],
    ),
    "startForm": (
        "mutation M($slug: String!) { startForm(slug: $slug) { errors { code message } } }",
        [{"slug": s} for s in ["", SQL, "unknown-slug"]],
    ),
    "saveStep": (
        "mutation M($id: ID!, $step: String!, $answers: JSON!) "
        "{ saveStep(draftId: $id, step: $step, answers: $answers) { errors { code message } } }",
        [
            {"id": i, "step": "person", "answers": answers}
            for i in BAD_IDS
            for answers in [{}, [], "x", {"first_name": {"a": 1}}]
        ],
    ),
    "uploadFile": (
        "mutation M($id: ID!, $field: String!, $name: String!, $c: String!) "
        "{ uploadFile(draftId: $id, field: $field, name: $name, contentBase64: $c) "
        "{ errors { code message } } }",
        [{"id": i, "field": "photo", "name": "a.png", "c": "!!!"} for i in BAD_IDS],
    ),
    "submitForm": (
        "mutation M($id: ID!, $key: String!) { submitForm(draftId: $id, idempotencyKey: $key) "
        "{ errors { code message } } }",
        [{"id": i, "key": k} for i in BAD_IDS for k in ["", "x" * 1000]],
    ),
    "resumeDraft": (
        "mutation M($t: String!) { resumeDraft(token: $t) { errors { code message } } }",
        [{"t": t} for t in ["", "abc", SQL]],
    ),
    "changeSubmissionStatus": (
        "mutation M($id: ID!, $s: String!, $n: String!) "
        "{ changeSubmissionStatus(id: $id, status: $s, note: $n) { errors { code message } } }",
        [{"id": i, "s": s, "n": UNICODE} for i in BAD_IDS for s in ["", "nonsense"]],
    ),
    "sendMessage": (
        "mutation M($id: ID!, $b: String!) { sendMessage(id: $id, body: $b) "
        "{ errors { code message } } }",
        [{"id": i, "b": b} for i in BAD_IDS for b in ["", UNICODE]],
    ),
    "assignSubmission": (
        "mutation M($id: ID!, $c: ID) { assignSubmission(id: $id, clerkId: $c) "
        "{ errors { code message } } }",
        [{"id": i, "c": c} for i in BAD_IDS for c in [None, *BAD_IDS]],
    ),
    "exportSubmissions": (
        "mutation M($ids: [ID!]!, $f: String!) { exportSubmissions(ids: $ids, format: $f) "
        "{ errors { code message } } }",
        [{"ids": [i], "f": f} for i in BAD_IDS for f in ["", "csv", "exe"]]
        + [{"ids": [], "f": ""}],
    ),
}


def test_no_graphql_operation_crashes_on_junk_variables(crawler_clients):
    failures: list[str] = []
    _targets, clients = crawler_clients
    for who, client in clients["tenant"]:
        for name, (query, variable_sets) in OPERATIONS.items():
            for variables in variable_sets:
                with transaction.atomic():
                    response = client.post(
                        "/graphql/",
                        data=json.dumps({"query": query, "variables": variables}),
                        content_type="application/json",
                    )
                    transaction.set_rollback(True)
                where = f"{name} as {who} with {json.dumps(variables)[:160]}"
                if response.status_code >= 500:
                    failures.append(f"HTTP {response.status_code}: {where}")
                    continue
                try:
                    body = response.json()
                except ValueError:
                    failures.append(f"not JSON ({response.status_code}): {where}")
                    continue
                for error in body.get("errors") or []:
                    if error.get("message") == MASK:
                        failures.append(f"{MASK} {where}")
    assert not failures, "unexpected errors:\n" + "\n".join(failures)
