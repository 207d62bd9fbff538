"""A clerk's saved views of the inbox (issue 15): saved under a name with the filters and sort,
applied by a link, replaced under the same name, deleted; each clerk sees only their own."""

import html as htmllib
import re

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.casework.saved_views import SavedView
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


def view_links(html: str) -> dict[str, str]:
    section = html[html.index('id="views"') : html.index("</section>", html.index('id="views"'))]
    return {
        name: htmllib.unescape(href)
        for href, name in re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', section)
    }


def test_a_view_is_saved_applied_replaced_and_deleted(
    clerk_client, published_form, tenant_a, clerk
):
    anna = make_submission(tenant_a, 1, name="Annegret")
    bernd = make_submission(tenant_a, 2, name="Bernd")
    # saving the filters as they are (a page cursor is not part of a view)
    saved = clerk_client.post(
        "/backoffice/inbox/views/",
        {"name": "  Meine   Hunde ", "query": "q=annegret&sort=reference&after=xyz&evil=1"},
    )
    assert saved.status_code == 302
    page = clerk_client.get(saved["Location"]).content.decode()
    assert "Die Ansicht „Meine Hunde“ wurde gespeichert." in page
    links = view_links(page)
    assert links == {"Meine Hunde": "?q=annegret&sort=reference"}
    # applying it is following its link
    applied = clerk_client.get(INBOX + links["Meine Hunde"]).content.decode()
    assert anna.reference in applied and bernd.reference not in applied
    # the same name again replaces it
    clerk_client.post("/backoffice/inbox/views/", {"name": "Meine Hunde", "query": "q=bernd"})
    with schema_context(tenant_a.schema_name):
        (view,) = SavedView.objects.filter(owner=clerk)
        assert view.query == "q=bernd"
    # deleted
    gone = clerk_client.post(f"/backoffice/inbox/views/{view.pk}/delete/", {"query": ""})
    page = clerk_client.get(gone["Location"]).content.decode()
    assert "Die Ansicht „Meine Hunde“ wurde gelöscht." in page
    assert view_links(page) == {}


def test_a_view_needs_a_name(clerk_client, published_form, tenant_a):
    response = clerk_client.post(
        "/backoffice/inbox/views/", {"name": " ", "query": "status=received"}, follow=True
    )
    assert "Geben Sie einen Namen für die Ansicht ein." in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert not SavedView.objects.exists()


def test_a_name_with_a_nul_character_is_refused_not_a_server_error(
    clerk_client, published_form, tenant_a
):
    response = clerk_client.post(
        "/backoffice/inbox/views/", {"name": "Neu\x00", "query": "status=received"}, follow=True
    )
    assert response.status_code < 500
    assert "Der Name enthält ein Zeichen, das nicht erlaubt ist." in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert not SavedView.objects.exists()


def test_another_clerks_views_are_neither_seen_nor_deleted(
    clerk_client, client_for, published_form, tenant_a, tenant_admin
):
    clerk_client.post("/backoffice/inbox/views/", {"name": "Nur meine", "query": "status=waiting"})
    with schema_context(tenant_a.schema_name):
        view = SavedView.objects.get()
    other = client_for(tenant_a)
    other.sign_in(tenant_admin.email)
    assert "Nur meine" not in other.get(INBOX).content.decode()
    assert other.post(f"/backoffice/inbox/views/{view.pk}/delete/").status_code == 404
    with schema_context(tenant_a.schema_name):
        assert SavedView.objects.filter(pk=view.pk).exists()
    # and someone not signed in cannot save one at all
    anonymous = client_for(tenant_a)
    response = anonymous.post("/backoffice/inbox/views/", {"name": "x", "query": ""})
    assert response.status_code == 302 and "/login/" in response["Location"]
