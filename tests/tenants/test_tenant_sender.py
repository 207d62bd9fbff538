"""An operator gives a tenant its own sender address on the command line; the tenant's mails
then come from it, still under the authority's name, and the change is audited."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail as outbox
from django.db import connection
from django_tenants.utils import schema_context

from portalwerk.platform import mail
from portalwerk.platform.audit.models import Entry
from portalwerk.platform.authz.actors import system
from portalwerk.tenants import services
from portalwerk.tenants.models import Tenant

CLI = str(Path(sys.executable).with_name("portalwerk"))


@pytest.fixture
def beta(live_db):
    tenant = Tenant.objects.get(slug="beta")
    yield tenant
    services.set_mail_from(actor=system("tests"), slug="beta", address="")
    Entry.objects.filter(action="tenant.sender_changed").delete()


def cli(*args: str) -> subprocess.CompletedProcess:
    db = connection.settings_dict
    url = f"postgresql://{db['USER']}:{db['PASSWORD']}@/{db['NAME']}?host={db['HOST']}"
    environment = {**__import__("os").environ, "DATABASE_URL": url}
    return subprocess.run(
        [CLI, *args], env=environment, capture_output=True, text=True, timeout=120
    )


def test_an_operator_sets_a_tenants_sender_address_and_its_mails_use_it(beta):
    # when the operator sets the address on the command line
    done = cli("tenants", "sender", "beta", "rathaus@beta.example")
    assert done.returncode == 0, done.stderr
    assert "rathaus@beta.example" in done.stdout
    # then the tenant's mails come from it, named for the authority
    outbox.outbox.clear()
    with schema_context(beta.schema_name):
        mail.send(to="anna@example.org", language="de", subject="Hinweis", body="x")
    assert outbox.outbox[0].from_email == '"Gemeinde Beta – Serviceportal" <rathaus@beta.example>'
    assert Entry.objects.filter(action="tenant.sender_changed").count() == 1


def test_a_sender_address_that_is_not_one_is_refused(beta):
    done = cli("tenants", "sender", "beta", "not an address")
    assert done.returncode != 0
    assert Tenant.objects.get(slug="beta").mail_from == ""
