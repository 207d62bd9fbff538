"""The audit log page: tenant admins only, their own tenant's entries only, filtered, paged by
keyset, exported as CSV (which is itself recorded)."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import from_user, system
from tests.conftest import make_user

LOG = "/backoffice/audit/"


def _entries(tenant, actor, count, object_id="A-2026-1"):
    with schema_context(tenant.schema_name):
        for _ in range(count):
            record(
                from_user(actor),
                Action.SUBMISSION_OPENED,
                object_type="submission",
                object_id=object_id,
            )


@pytest.mark.parametrize("who", ["anonymous", "citizen", "clerk", "other_tenant_admin"])
def test_nobody_but_the_tenant_admin_sees_the_log(
    who, request, client_for, signed_in, tenant_a, tenant_b, clerk
):
    # given an entry in alpha's log
    _entries(tenant_a, clerk, 1, object_id="SECRET-REF")
    if who == "anonymous":
        client = client_for(tenant_a)
    elif who == "other_tenant_admin":
        from portalwerk.platform.accounts.models import Role

        other = make_user(tenant_b, "admin@beta.example", Role.TENANT_ADMIN)
        signed_in(tenant_b, other)  # signed in on beta; the session does not cross hosts
        client = client_for(tenant_a)
    else:
        client = signed_in(tenant_a, request.getfixturevalue(who))
    # when they ask for the log and the export
    page = client.get(LOG)
    export = client.post(LOG + "export.csv")
    # then neither shows any entry, and the refused export wrote nothing
    assert page.status_code in (302, 404) and export.status_code in (302, 404)
    assert b"SECRET-REF" not in page.content + export.content
    with schema_context(tenant_a.schema_name):
        assert not Entry.objects.filter(action="audit.exported").exists()


def test_the_tenant_admin_sees_only_their_own_tenants_entries(
    signed_in, tenant_a, tenant_b, tenant_admin, clerk, other_tenant_clerk
):
    _entries(tenant_a, clerk, 1, object_id="ALPHA-REF")
    _entries(tenant_b, other_tenant_clerk, 1, object_id="BETA-REF")
    record(system("tests"), Action.TENANT_SUSPENDED, object_type="tenant", object_id="PUBLIC-REF")
    html = signed_in(tenant_a, tenant_admin).get(LOG).content.decode()
    assert "ALPHA-REF" in html and clerk.email in html
    assert "BETA-REF" not in html and "PUBLIC-REF" not in html


def test_filters_narrow_the_log(signed_in, tenant_a, tenant_admin, clerk):
    _entries(tenant_a, clerk, 1, object_id="REF-ONE")
    _entries(tenant_a, tenant_admin, 1, object_id="REF-TWO")
    client = signed_in(tenant_a, tenant_admin)
    by_actor = client.get(LOG, {"actor": clerk.pk}).content.decode()
    assert "REF-ONE" in by_actor and "REF-TWO" not in by_actor
    by_object = client.get(LOG, {"object_type": "submission", "object_id": "REF-TWO"})
    assert "REF-ONE" not in by_object.content.decode()
    assert "REF-TWO" in by_object.content.decode()
    by_action = client.get(LOG, {"action": "payment.refunded"}).content.decode()
    assert "REF-ONE" not in by_action and "REF-TWO" not in by_action
    future = client.get(LOG, {"from": "2999-01-01"}).content.decode()
    assert "REF-ONE" not in future
    # junk in the filters is ignored rather than an error; a mistyped date is said at its field
    junk = client.get(
        LOG, {"from": "soon", "after": "junk", "actor": "x"}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert junk.status_code == 400
    assert "Geben Sie das Datum als TT.MM.JJJJ an" in junk.content.decode()
    assert "REF-ONE" in junk.content.decode()  # the list without that filter
    # dates as German clerks type them, whatever the browser's locale
    assert "REF-ONE" not in client.get(LOG, {"from": "1.1.2999"}).content.decode()
    assert 'type="date"' not in junk.content.decode()
    # the last day there is: no upper bound, not a server error
    assert "REF-ONE" in client.get(LOG, {"to": "9999-12-31"}).content.decode()


def test_pages_follow_each_other_without_gaps_or_repeats(signed_in, tenant_a, tenant_admin, clerk):
    with schema_context(tenant_a.schema_name):
        for n in range(120):
            record(
                from_user(clerk),
                Action.SUBMISSION_OPENED,
                object_type="submission",
                object_id=f"R-{n}",
            )
    client = signed_in(tenant_a, tenant_admin)
    seen, url, params = [], LOG, {"object_type": "submission"}
    from tests.platform.audit.audit_pages import next_link, object_ids

    while url:
        html = client.get(url, params).content.decode()
        seen += object_ids(html)
        url, params = next_link(html), None
    assert sorted(seen) == sorted(f"R-{n}" for n in range(120))


@pytest.mark.parametrize("rows", [1, 100])
def test_a_page_costs_the_same_queries_whatever_the_number_of_entries(
    rows, signed_in, tenant_a, tenant_admin, clerk
):
    _entries(tenant_a, clerk, rows)
    client = signed_in(tenant_a, tenant_admin)
    client.get(LOG)  # warm the host cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LOG).status_code == 200
    assert len(queries) <= 12


def test_the_export_is_csv_of_the_filtered_entries_and_is_recorded(
    signed_in, tenant_a, tenant_admin, clerk
):
    _entries(tenant_a, clerk, 2, object_id="REF-X")
    _entries(tenant_a, clerk, 1, object_id="REF-Y")
    client = signed_in(tenant_a, tenant_admin)
    response = client.post(LOG + "export.csv", {"object_id": "REF-X"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["object_id"], r["actor"]) for r in rows] == [("REF-X", clerk.email)] * 2
    with schema_context(tenant_a.schema_name):
        exported = Entry.objects.get(action="audit.exported")
    assert exported.actor_user_id == tenant_admin.pk and exported.detail["rows"] == 2
