"""The inbox as a work queue (issue 15): every filter, the search in the database, the sort
orders both ways, keyset pages (also across rows that tie), a bad value as a message on the page,
a query count that does not grow with rows, and indexes under every filtered page."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.casework import queue
from portalwerk.platform.casework import services as casework
from portalwerk.platform.casework.filters import QueueFilters
from portalwerk.platform.forms.models import Submission
from tests.platform.forms.queue_rows import copies
from tests.platform.forms.test_inbox import (  # noqa: F401 (the autouse fixture)
    _handed_over_before_payment,
    make_submission,
)

INBOX = "/backoffice/inbox/"


@pytest.fixture
def clerk_client(client_for, tenant_a, clerk):
    client = client_for(tenant_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    client.sign_in(clerk.email)
    return client


def listed(client, params=None) -> list[str]:
    """The reference numbers in the inbox's table, top to bottom."""
    response = client.get(INBOX, params or {})
    assert response.status_code == 200, response.content.decode()[:2000]
    return re.findall(r"data-queue-open>([^<]+)</a>", response.content.decode())


def test_each_filter_narrows_the_list(clerk_client, published_form, tenant_a, clerk):
    anna = make_submission(tenant_a, 1, name="Anna")
    bernd = make_submission(tenant_a, 2, name="Bernd")
    carla = make_submission(tenant_a, 3, name="Carla")
    now = timezone.now()
    with schema_context(tenant_a.schema_name):
        casework.change_status(actor=from_user(clerk), submission_id=bernd.pk, status="in_progress")
        casework.assign_submission(
            actor=from_user(clerk), submission_id=bernd.pk, assignee_id=clerk.pk
        )
        # Anna's is overdue, Bernd's due in two days, Carla's has no deadline
        Submission.objects.filter(pk=anna.pk).update(
            due_at=now - datetime.timedelta(days=1),
            submitted_at=datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC),
        )
        Submission.objects.filter(pk=bernd.pk).update(due_at=now + datetime.timedelta(days=2))
    assert set(listed(clerk_client)) == {anna.reference, bernd.reference, carla.reference}
    assert listed(clerk_client, {"status": "in_progress"}) == [bernd.reference]
    assert listed(clerk_client, {"assigned": "me"}) == [bernd.reference]
    assert listed(clerk_client, {"assigned": str(clerk.pk)}) == [bernd.reference]
    assert set(listed(clerk_client, {"assigned": "none"})) == {anna.reference, carla.reference}
    assert listed(clerk_client, {"deadline": "overdue"}) == [anna.reference]
    # a deadline that passed after the work was done is no longer "overdue"
    with schema_context(tenant_a.schema_name):
        Submission.objects.filter(pk=carla.pk).update(
            status="completed", due_at=now - datetime.timedelta(days=5)
        )
    assert listed(clerk_client, {"deadline": "overdue"}) == [anna.reference]
    with schema_context(tenant_a.schema_name):
        Submission.objects.filter(pk=carla.pk).update(status="received", due_at=None)
    assert listed(clerk_client, {"deadline": "soon"}) == [bernd.reference]
    assert listed(clerk_client, {"deadline": "none"}) == [carla.reference]
    # the period in German notation and in ISO, both days included
    assert listed(clerk_client, {"from": "02.03.2026", "to": "2.3.2026"}) == [anna.reference]
    assert listed(clerk_client, {"from": "2026-03-01", "to": "2026-03-02"}) == [anna.reference]
    assert listed(clerk_client, {"to": "01.03.2026"}) == []
    assert len(listed(clerk_client, {"form": published_form.pk})) == 3


def test_the_payment_and_unread_filters(clerk_client, published_form, tenant_a, citizen):
    from portalwerk.billing.payments.models import Payment

    paid = make_submission(tenant_a, 1, name="Paula")
    unpaid = make_submission(tenant_a, 2, name="Ulf")
    free = make_submission(tenant_a, 3, name="Frida", user=citizen)
    with schema_context(tenant_a.schema_name):
        Submission.objects.filter(pk__in=[paid.pk, unpaid.pk]).update(fee_cents=3500)
        Submission.objects.filter(pk=free.pk).update(fee_cents=0)
        Payment.objects.create(
            reference="KZ-1", submission=paid, submission_reference=paid.reference,
            amount_cents=3500, status="paid", provider="demo",
        )  # fmt: skip
        Payment.objects.create(
            reference="KZ-2", submission=unpaid, submission_reference=unpaid.reference,
            amount_cents=3500, status="failed", provider="demo",
        )  # fmt: skip
        casework.reply_to_office(actor=from_user(citizen), submission=free, body="Frage")
    assert listed(clerk_client, {"payment": "paid"}) == [paid.reference]
    assert listed(clerk_client, {"payment": "unpaid"}) == [unpaid.reference]
    assert listed(clerk_client, {"payment": "blocked"}) == []
    assert listed(clerk_client, {"unread": "1"}) == [free.reference]


def test_the_search_finds_parts_of_reference_and_name_in_any_case(
    clerk_client, published_form, tenant_a
):
    anna = make_submission(tenant_a, 1, name="Annegret")
    bernd = make_submission(tenant_a, 2, name="Bernd", email="annegret@example.com")
    assert listed(clerk_client, {"q": "NNEG"}) == [anna.reference]
    assert listed(clerk_client, {"q": "muster2"}) == [bernd.reference]  # "Bernd Muster2"
    number = anna.reference[-4:]
    assert listed(clerk_client, {"q": number}) == [anna.reference]
    assert listed(clerk_client, {"q": "nobody-like-this"}) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "32.13.2026"}, "Geben Sie das Datum als TT.MM.JJJJ an"),
        ({"from": "03.03.2026", "to": "02.03.2026"}, "Das Ende des Zeitraums"),
        ({"status": "lost"}, "Wählen Sie einen Status aus der Liste."),
        ({"assigned": "someone"}, "Wählen Sie eine Person aus der Liste."),
        ({"form": "999999"}, "Wählen Sie ein Formular aus der Liste."),
        ({"form": "abc"}, "Wählen Sie ein Formular aus der Liste."),
        ({"deadline": "tomorrow"}, "Wählen Sie eine Frist aus der Liste."),
        ({"payment": "maybe"}, "Wählen Sie einen Zahlungsstand aus der Liste."),
        ({"sort": "-salary"}, "Wählen Sie eine Reihenfolge aus der Liste."),
        ({"q": "ab"}, "Geben Sie mindestens 3 Zeichen ein"),
    ],
)
def test_a_bad_filter_is_a_message_on_the_page(
    params, message, clerk_client, published_form, tenant_a
):
    submission = make_submission(tenant_a, 1)
    response = clerk_client.get(INBOX, params)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Es gibt ein Problem" in html and message in html
    field = next(iter(params)) if "to" not in params else "to"
    assert f'href="#f-{field}"' in html  # the summary leads to the field
    assert submission.reference not in html  # no list that pretends to be filtered


def test_a_link_to_a_page_that_no_longer_fits_starts_the_list_again(
    clerk_client, published_form, tenant_a
):
    submission = make_submission(tenant_a, 1)
    response = clerk_client.get(INBOX, {"after": "not-a-cursor", "sort": "reference"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dieser Seitenlink passt nicht mehr zur Liste." in html
    assert submission.reference in html


@pytest.mark.parametrize("sort", ["submitted", "due", "reference", "applicant", "status"])
def test_every_sort_order_goes_both_ways(sort, published_form, tenant_a, clerk):
    first = make_submission(tenant_a, 1)
    with schema_context(tenant_a.schema_name):
        ids = copies(first, 6, prefix="SORT", name="Kopie")
        # varied keys: deadlines (one without), statuses, names
        for n, pk in enumerate(ids):
            Submission.objects.filter(pk=pk).update(
                due_at=None if n == 2 else timezone.now() + datetime.timedelta(days=n % 3),
                status=["waiting", "received", "completed", "in_progress"][n % 4],
                applicant_name=f"{'ZYXWVU'[n]} Name",
            )
        actor = from_user(clerk)

        def order(direction: str) -> list[str]:
            page = queue.list_queue(actor=actor, filters={"sort": f"{direction}{sort}"})
            return [s.reference for s in page.rows]

        rows = list(Submission.objects.filter(anonymised_at__isnull=True))
        ascending, descending = order(""), order("-")
    rank = {"received": 0, "in_progress": 1, "waiting": 2, "completed": 3, "rejected": 4}
    far = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)
    key = {
        "submitted": lambda s: (s.submitted_at, s.pk),
        "due": lambda s: (s.due_at or far, s.pk),
        "reference": lambda s: (s.reference,),
        "applicant": lambda s: (s.applicant_name, s.pk),
        "status": lambda s: (rank[s.status], s.submitted_at, s.pk),
    }[sort]
    expected = [s.reference for s in sorted(rows, key=key)]
    assert ascending == expected
    assert descending == expected[::-1]


def test_pages_follow_each_other_without_gaps_or_repeats_across_ties(
    clerk_client, published_form, tenant_a
):
    # 120 submissions received in the same second: only the id tells them apart
    first = make_submission(tenant_a, 1)
    with schema_context(tenant_a.schema_name):
        copies(first, 119, prefix="TIE", same_time=True)
        Submission.objects.update(submitted_at=first.submitted_at)
        expected = list(
            Submission.objects.order_by("-submitted_at", "-id").values_list("reference", flat=True)
        )
    seen, pages, url = [], [], INBOX
    while url:
        response = clerk_client.get(url)
        html = response.content.decode()
        pages.append(html)
        seen += re.findall(r"data-queue-open>([^<]+)</a>", html)
        nxt = re.search(r'href="(\?[^"]*after=[^"]+)" rel="next"', html)
        url = INBOX + nxt.group(1).replace("&amp;", "&") if nxt else ""
    assert seen == expected and len(pages) == 3
    assert "120 Anträge" in pages[0] and "Seite 3" in pages[2]
    # and back again from the last page
    back = re.search(r'href="(\?[^"]*before=[^"]+)" rel="prev"', pages[2]).group(1)
    html = clerk_client.get(INBOX + back.replace("&amp;", "&")).content.decode()
    assert re.findall(r"data-queue-open>([^<]+)</a>", html) == expected[50:100]
    assert "Seite 2" in html


def test_the_query_count_of_a_page_does_not_grow_with_rows(clerk_client, published_form, tenant_a):
    first = make_submission(tenant_a, 1)
    params = {"status": "received", "sort": "-submitted", "q": "Kopie"}

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            rows = listed(clerk_client, params)
        return len(ctx.captured_queries), len(rows)

    with schema_context(tenant_a.schema_name):
        copies(first, 1, prefix="QC")
    one, rows = count()
    assert rows == 1
    with schema_context(tenant_a.schema_name):
        Submission.objects.filter(reference__startswith="QC").delete()
        copies(first, 80, prefix="QC")
    assert count() == (one, 50)


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"sort": "-submitted"}, "casework_queue_submitted"),
        ({"sort": "due"}, "casework_queue_due"),
        ({"sort": "-status"}, "casework_queue_status"),
        ({"sort": "applicant"}, "casework_queue_applicant"),
        ({"sort": "reference"}, "forms_submission_reference"),
        ({"status": "received", "sort": "-submitted"}, "forms_submi_status"),
        ({"q": "Kopie 4711", "sort": "-submitted"}, "casework_queue_search"),
        ({"payment": "unpaid", "sort": "-submitted"}, "casework_queue_fee"),
        # few payments: from the payments to their submissions (by primary key)
        ({"payment": "paid", "sort": "-submitted"}, "casework_queue_fee|forms_submission_pkey"),
    ],
)
def test_a_filtered_page_is_read_from_an_index(filters, index, published_form, tenant_a, clerk):
    first = make_submission(tenant_a, 1)
    with schema_context(tenant_a.schema_name):
        ids = copies(first, 20000, prefix="BIG")
        # mostly completed: "received" is the part of the work that is left
        Submission.objects.filter(pk__in=ids[:19000]).update(status="completed")
        # one in twenty has a fee
        Submission.objects.filter(pk__in=ids[::20]).update(fee_cents=3500)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE forms_submission")
        form = QueueFilters(filters, clerks=[])
        assert form.is_valid(), form.errors
        page = queue.page_of(
            queue.filtered(from_user(clerk), form.values()), sort=form.values()["sort"]
        )
        qs = queue.filtered(from_user(clerk), form.values())
        keyed, columns = queue._with_keys(qs, form.values()["sort"])
        # the second page (where there is one): the row comparison is where the scan starts
        names = [name for name, _make in columns]
        second = keyed
        if page.next_cursor:
            values, _page = queue.decode_cursor(form.values()["sort"], page.next_cursor)
            direction = "<" if form.values()["sort"].startswith("-") else ">"
            second = keyed.filter(queue.RowCompare([queue.F(n) for n in names], values, direction))
        descending = form.values()["sort"].startswith("-")
        second = second.order_by(*[f"-{n}" if descending else n for n in names])[:51]
        sql, params = second.query.sql_with_params()
        plan = _plan(sql, params)
    assert any(name in plan for name in index.split("|")), plan
    assert "Seq Scan on forms_submission" not in plan, plan
