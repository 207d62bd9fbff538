"""The hand-over pages as clerks and tenant admins click them (Django's test client): the
section in the submission's detail, the failed hand-overs, and the targets."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.audit.models import Entry
from portalwerk.platform.handover.models import Target
from tests.conftest import make_user
from tests.helpers.forms import run_jobs
from tests.platform.handover.backoffice.conftest import delivery_of


@pytest.fixture
def as_user(client_for, tenant_a):
    def sign_in(user, language="en"):
        client = client_for(tenant_a)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        assert client.sign_in(user.email).status_code == 302
        return client

    return sign_in


def text(response) -> str:
    """The page's words, without tags, on one line each run of whitespace."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_clerk_sees_the_failed_hand_over_in_words_and_tries_it_again(
    as_user, tenant_a, failed, clerk, receiver
):
    client = as_user(clerk)
    page = client.get(f"/backoffice/inbox/{failed.submission_id}/")
    words = text(page)
    assert page.status_code == 200
    assert "Hand-over" in words and "Fachverfahren" in words
    assert "The receiving system reported an error of its own." in words
    assert "HTTP 500" in words and "Try again now" in words
    # when the clerk clicks "Try again now" and the job runs
    done = client.post(
        f"/backoffice/inbox/{failed.submission_id}/",
        {"action": "retry_delivery", "delivery": failed.pk},
    )
    assert done.status_code == 302
    with schema_context(tenant_a.schema_name):
        run_jobs("deliver")
    after = text(client.get(done["Location"]))
    assert "The hand-over is being tried again." in after
    assert "CASE-1" in after and "Send again" in after
    assert list(receiver.parcels) == [str(failed.key)]


def test_the_hand_over_section_speaks_german(as_user, failed, clerk):
    words = text(as_user(clerk, "de").get(f"/backoffice/inbox/{failed.submission_id}/"))
    assert "Übergabe" in words and "Jetzt erneut versuchen" in words
    assert "Das empfangende System hat einen eigenen Fehler gemeldet." in words


def test_a_reader_sees_deliveries_but_no_buttons_and_cannot_post(as_user, tenant_a, failed):
    reader = make_user(tenant_a, "reader@alpha.example", "clerk_reader")
    client = as_user(reader)
    words = text(client.get(f"/backoffice/inbox/{failed.submission_id}/"))
    assert "Fachverfahren" in words and "Try again now" not in words
    refused = client.post(
        f"/backoffice/inbox/{failed.submission_id}/",
        {"action": "retry_delivery", "delivery": failed.pk},
    )
    assert refused.status_code == 400
    assert delivery_of(tenant_a, failed.submission).status == "failed"


def test_a_delivery_of_another_submission_cannot_be_retried_from_this_page(
    as_user, tenant_a, failed, submit, clerk
):
    other = submit()
    page = as_user(clerk).post(
        f"/backoffice/inbox/{other.pk}/", {"action": "retry_delivery", "delivery": failed.pk}
    )
    assert page.status_code == 404
    assert delivery_of(tenant_a, failed.submission).status == "failed"


def test_the_failed_list_shows_each_failed_hand_over_and_retries_it(
    as_user, tenant_a, failed, submit, clerk
):
    submit()  # delivered: not in the list
    client = as_user(clerk)
    page = client.get("/backoffice/handover/failed/")
    words = text(page)
    assert page.status_code == 200
    assert "1 failed hand-over" in words and failed.submission.reference in words
    done = client.post("/backoffice/handover/failed/", {"delivery": failed.pk})
    assert done.status_code == 302
    assert "No failed hand-overs." in text(client.get(done["Location"]))
    assert delivery_of(tenant_a, failed.submission).status == "pending"
    junk = client.post("/backoffice/handover/failed/", {"delivery": "nope"})
    assert "This delivery does not exist." in text(client.get(junk["Location"]))


def test_citizens_and_strangers_do_not_see_the_failed_list(
    as_user, client_for, tenant_b, citizen, failed, other_tenant_clerk
):
    assert as_user(citizen).get("/backoffice/handover/failed/").status_code in (302, 404)
    stranger = client_for(tenant_b)
    assert stranger.sign_in(other_tenant_clerk.email).status_code == 302
    assert failed.submission.reference not in text(stranger.get("/backoffice/handover/failed/"))


def test_a_tenant_admin_adds_a_target_by_choosing_a_kind_then_its_settings(
    as_user, tenant_a, tenant_admin, loopback_backend, handover_form, receiver
):
    client = as_user(tenant_admin)
    assert "Hand-over targets" in text(client.get("/backoffice/"))
    kinds = client.get("/backoffice/handover/targets/add/")
    assert "Loopback receiver (tests)" in text(kinds)
    form = client.get("/backoffice/handover/targets/add/?backend=loopback")
    assert 'name="config-url"' in form.content.decode()
    # sent with mistakes: the error summary names each, nothing is stored
    wrong = client.post(
        "/backoffice/handover/targets/add/",
        {"backend": "loopback", "name": "", "config-url": "nope", "config-token": ""},
    )
    words = text(wrong)
    assert wrong.status_code == 400 and "There is a problem" in words
    assert "Enter a name for the target." in words and "Enter a valid URL." in words
    assert 'href="#id_config-url"' in wrong.content.decode()
    with schema_context(tenant_a.schema_name):
        assert not Target.objects.exists()
    # sent right: stored, and the admin lands on the target's page
    added = client.post(
        "/backoffice/handover/targets/add/",
        {
            "backend": "loopback",
            "name": "Fachverfahren",
            "forms": [str(handover_form.pk)],
            "config-url": receiver.url,
            "config-token": receiver.token,
            "config-timeout": "4",
        },
    )
    assert added.status_code == 302
    page = client.get(added["Location"])
    assert "The target has been added." in text(page)
    assert receiver.token not in page.content.decode()
    assert "Fachverfahren" in text(client.get("/backoffice/handover/targets/"))


def test_the_admin_changes_checks_tests_and_switches_off_a_target(
    as_user, tenant_a, tenant_admin, target, receiver, handover_form
):
    client = as_user(tenant_admin)
    url = f"/backoffice/handover/targets/{target.pk}/"
    saved = client.post(
        url,
        {
            "name": "Neuer Name",
            "all_forms": "on",
            "config-url": receiver.url,
            "config-token": "",
            "config-timeout": "5",
        },
    )
    assert saved.status_code == 302
    with schema_context(tenant_a.schema_name):
        stored = Target.objects.get(pk=target.pk)
    assert stored.name == "Neuer Name" and stored.config["token"] == receiver.token
    checked = text(client.post(f"{url}check/"))
    assert "The settings look fine." in checked
    tested = text(client.post(f"{url}test/"))
    assert "The test application was delivered." in tested and "CASE-1" in tested
    receiver.fail_with = 503
    failed_test = text(client.post(f"{url}test/"))
    assert "The receiving system reported an error of its own." in failed_test
    assert "HTTP 503" in failed_test
    off = client.post(f"{url}deactivate/")
    assert "The target is switched off." in text(client.get(off["Location"]))
    with schema_context(tenant_a.schema_name):
        assert not Target.objects.get(pk=target.pk).is_active
        actions = set(Entry.objects.values_list("action", flat=True))
    assert {"target.changed", "target.checked", "target.tested", "target.deactivated"} <= actions


def test_a_clerk_cannot_open_or_change_targets(as_user, tenant_a, clerk, target):
    client = as_user(clerk)
    assert client.get("/backoffice/handover/targets/").status_code == 404
    assert client.get(f"/backoffice/handover/targets/{target.pk}/").status_code == 404
    assert client.post(f"/backoffice/handover/targets/{target.pk}/deactivate/").status_code == 404
    with schema_context(tenant_a.schema_name):
        assert Target.objects.get(pk=target.pk).is_active


def test_junk_on_the_target_pages_is_a_form_error_or_a_404_never_a_500(
    as_user, tenant_admin, target
):
    client = as_user(tenant_admin)
    assert client.get("/backoffice/handover/targets/add/?backend=ftp").status_code == 400
    assert client.get("/backoffice/handover/targets/999999/").status_code == 404
    assert client.post(f"/backoffice/handover/targets/{target.pk}/explode/").status_code == 404
    bad = client.post(
        f"/backoffice/handover/targets/{target.pk}/",
        {"name": "x" * 300, "forms": ["99999", "abc"], "config-url": "\x00", "config-timeout": "z"},
    )
    assert bad.status_code == 400 and "There is a problem" in text(bad)
