"""The "save and continue later" mail: at most a few to any address, with a clear answer past
that; its link on the tenant's primary domain whatever Host the request named; a subject and
sender that name the form and the authority."""

import re
from urllib.parse import urlsplit

from django.core import mail
from django_tenants.utils import schema_context

from portalwerk.platform.mail import limits as mail_limits
from portalwerk.tenants.models import Domain
from tests.conftest import host_of
from tests.helpers.forms import run_jobs


def save_page(client) -> str:
    """A draft of the dog licence with its first step answered; the path of its save page."""
    url = client.post("/forms/dog-licence/")["Location"]
    base = url.rsplit("/", 2)[0]
    saved = client.post(
        url, {"first_name": "Anna", "last_name": "M", "email": "anna@example.com", "action": "save"}
    )
    assert saved["Location"] == f"{base}/save/"
    return f"{base}/save/"


def resume_mails(tenant) -> list[mail.EmailMessage]:
    with schema_context(tenant.schema_name):
        mail.outbox.clear()
        run_jobs("send_resume_mail")
    return list(mail.outbox)


def test_save_and_continue_later_mails_a_stranger_only_a_few_times(
    client_for, published_form, tenant_a
):
    # given a draft, and someone asking 30 times for the link to be mailed to a stranger
    client = client_for(tenant_a)
    page = save_page(client)
    allowance = mail_limits.allowance("per_recipient_per_hour")
    answers = [
        client.post(page, {"email": "stranger@example.org"}, HTTP_ACCEPT_LANGUAGE="en")
        for _ in range(30)
    ]
    # then the stranger gets the allowance, not 30 mails
    assert len(resume_mails(tenant_a)) == allowance
    assert [a.status_code for a in answers[:allowance]] == [200] * allowance
    # and from then on the page says why nothing was sent, with a 429
    refused = answers[allowance]
    assert refused.status_code == 429
    assert "We have sent a lot of emails to this address" in refused.content.decode()
    assert all(a.status_code == 429 for a in answers[allowance:])


def test_the_refusal_is_in_german_for_german_readers(client_for, published_form, tenant_a):
    client = client_for(tenant_a)
    page = save_page(client)
    for _ in range(mail_limits.allowance("per_recipient_per_hour")):
        client.post(page, {"email": "stranger@example.org"})
    refused = client.post(page, {"email": "stranger@example.org"}, HTTP_ACCEPT_LANGUAGE="de")
    assert refused.status_code == 429
    assert "Wir haben dieser Adresse" in refused.content.decode()


def test_the_resume_link_is_on_the_primary_domain_whatever_the_host(
    client_for, published_form, tenant_a
):
    # given the tenant reachable under a second domain too, and a Host naming an odd port
    Domain.objects.create(domain="service.alpha.example", tenant=tenant_a, is_primary=False)
    primary = host_of(tenant_a)
    for host in ("service.alpha.example", f"{primary}:6666"):
        client = client_for(host)
        # when the link is asked for through that host
        assert client.post(save_page(client), {"email": "anna@example.com"}).status_code == 200
        # then the mailed link points at the primary domain, with the configured scheme
        (message,) = resume_mails(tenant_a)
        link = urlsplit(re.search(r"\S+/forms/resume/\S+/", message.body).group(0))
        assert (link.scheme, link.netloc) == ("http", primary)


def test_a_forged_host_gets_no_page_and_no_mail(client_for, published_form, tenant_a):
    forged = client_for("evil.example")
    assert forged.post("/forms/dog-licence/").status_code == 404
    assert resume_mails(tenant_a) == []


def test_the_resume_mail_names_the_form_and_the_authority(client_for, published_form, tenant_a):
    client = client_for(tenant_a)
    page = save_page(client)
    client.post(page, {"email": "anna@example.com"}, HTTP_ACCEPT_LANGUAGE="de")
    client.post(page, {"email": "anna@example.com"}, HTTP_ACCEPT_LANGUAGE="en")
    german, english = resume_mails(tenant_a)
    assert german.subject == "Antrag fortsetzen: Hundeanmeldung – Stadt Alpha"
    assert english.subject == "Continue your application: Dog registration – Stadt Alpha"
    assert german.from_email.startswith('"Stadt Alpha – Serviceportal" <')
    assert "portal@localhost" not in german.from_email
    # the header as a mail program reads it
    sender = german.message()["From"]
    assert "Stadt Alpha" in str(sender) or "Stadt_Alpha" in str(sender)
