"""The tenant admin downloads the tenant's export in the back office: only tenant admins, only
their own tenant's, audited in the tenant's log, without password hashes."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django_tenants.utils import schema_context

from portalwerk.platform.audit.models import Entry
from tests.conftest import PASSWORD

PAGE = "/backoffice/data-export/"
DOWNLOAD = "/backoffice/data-export/download/"


def _exports(tenant) -> int:
    with schema_context(tenant.schema_name):
        return Entry.objects.filter(action="tenant.exported").count()


def test_a_tenant_admin_downloads_the_whole_archive_and_the_log_says_so(
    client_for, tenant_a, tenant_admin, clerk, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = client_for(tenant_a)
    admin.sign_in(tenant_admin.email, PASSWORD)
    # given the back office's start page links to the export, and the page says what it holds
    assert PAGE in admin.get("/backoffice/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    page = admin.get(PAGE, HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200
    assert "Alle Daten exportieren" in page.content.decode()
    # when the admin downloads it
    response = admin.post(DOWNLOAD)
    # then a ZIP comes, named for the tenant, streamed and not cached
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/zip"
    assert 'filename="alpha-' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        users = [
            json.loads(line)
            for line in archive.read("data/users/accounts.User.jsonl").decode().splitlines()
        ]
    # holding the staff, but none of their password hashes
    assert manifest["tenant"]["slug"] == "alpha" and manifest["passwords"] is False
    assert {u["fields"]["email"] for u in users} >= {tenant_admin.email, clerk.email}
    assert {u["fields"]["password"] for u in users} == {"!"}
    # and the tenant's audit log names the admin
    with schema_context(tenant_a.schema_name):
        entry = Entry.objects.get(action="tenant.exported")
    assert entry.actor_user_id == tenant_admin.pk and entry.actor_kind == "tenant_admin"


@pytest.mark.parametrize("who", ["anonymous", "clerk", "other_tenant_clerk"])
def test_nobody_but_a_tenant_admin_gets_the_export(
    who, client_for, tenant_a, request, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    browser = client_for(tenant_a)
    if who != "anonymous":
        user = request.getfixturevalue(who)
        browser.sign_in(user.email, PASSWORD)
    # when someone else asks for the page or the download
    page, download = browser.get(PAGE), browser.post(DOWNLOAD)
    # then nothing of the archive comes back and nothing is logged
    for response in (page, download):
        assert response.status_code in (302, 404)
        assert not getattr(response, "streaming", False)
        assert b"PK" not in response.content[:2]
    assert _exports(tenant_a) == 0
    # and a clerk's start page does not offer it
    if who == "clerk":
        assert PAGE not in browser.get("/backoffice/").content.decode()


def test_the_download_is_a_post(client_for, tenant_a, tenant_admin):
    admin = client_for(tenant_a)
    admin.sign_in(tenant_admin.email, PASSWORD)
    assert admin.get(DOWNLOAD).status_code == 405
    assert _exports(tenant_a) == 0
