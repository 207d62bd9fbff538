"""Fixtures for the accounts tests: English-speaking browsers and the mail job, run for real."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from procrastinate.contrib.django.models import ProcrastinateJob

from portalwerk.platform.accounts.tasks import send_account_mail

LINK = re.compile(r"https?://\S+")


@pytest.fixture
def browser_for(client_for):
    """`client_for`, asking for English pages so that the assertions hold once German is in."""

    def make(tenant_or_host):
        client = client_for(tenant_or_host)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


@pytest.fixture
def mail_jobs(db):
    """The account-mail jobs deferred so far in this test (rows in procrastinate_jobs)."""

    def jobs() -> list[ProcrastinateJob]:
        return list(
            ProcrastinateJob.objects.filter(task_name=send_account_mail.name).order_by("id")
        )

    return jobs


@pytest.fixture
def deliver_mail(mail_jobs):
    """Run each account-mail job deferred since the last call, as the worker would: the task
    function with the job's own arguments (a real worker cannot see this test's transaction).
    Returns the mails those jobs sent."""
    delivered: set[int] = set()

    def deliver() -> list[mail.EmailMessage]:
        before = len(mail.outbox)
        for job in mail_jobs():
            if job.id not in delivered:
                delivered.add(job.id)
                send_account_mail(**job.args)
        return mail.outbox[before:]

    return deliver


@pytest.fixture
def link_in():
    """The one link in a mail, split: `link_in(message).netloc`, `.path`."""

    def find(message: mail.EmailMessage):
        links = LINK.findall(message.body)
        assert len(links) == 1, message.body
        return urlsplit(links[0])

    return find
