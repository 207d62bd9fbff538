"""The fee a citizen reads before applying is the fee they are charged: every page asks the
calculation the submit service charges with, and says "from …" where the answers decide."""

from __future__ import annotations

import re

from django.core.cache import cache
from django_tenants.utils import schema_context

from portalwerk.platform.forms.engine.form import FormSpec
from portalwerk.platform.forms.fees import FeeRange, fee_range
from portalwerk.platform.forms.models import Submission
from tests.helpers.forms import DEFINITION, FEE_DEFINITION, png


def spec(fee, *fields) -> FormSpec:
    return FormSpec.from_definition(
        {"steps": [{"key": "s", "title": "S", "fields": list(fields)}], "fee": fee}
    )


def test_the_range_covers_every_amount_the_answers_can_lead_to():
    # a fixed fee, a fee by choice, by yes/no (3000 or 1000) and by a bounded count
    assert fee_range(spec({"amount": 3500}, {"key": "x", "type": "text", "label": "X"})) == (
        FeeRange(3500, 3500)
    )
    assert fee_range(FormSpec.from_definition(FEE_DEFINITION)) == FeeRange(1500, 4500)
    assert fee_range(FormSpec.from_definition(DEFINITION)) == FeeRange(1000, 3000)
    copies = {"key": "n", "type": "number", "label": "N", "required": True}
    bounded = {**copies, "validation": {"integer": True, "min": 1, "max": 5}}
    per_copy = {"amount": {"*": [700, {"var": "n"}]}}
    assert fee_range(spec(per_copy, bounded)) == FeeRange(700, 3500)
    # a fee on free input has no range to state
    assert fee_range(spec(per_copy, copies)) is None
    # an optional question may stay unanswered: that amount counts too
    optional = {"key": "rush", "type": "yesno", "label": "R"}
    assert fee_range(spec({"amount": {"if": [{"var": "rush"}, 5000, 0]}}, optional)) == (
        FeeRange(0, 5000)
    )


def test_the_start_page_says_from_the_lowest_fee_when_answers_decide(
    client_for, published_form, tenant_a
):
    client = client_for(tenant_a)
    page = client.get("/forms/dog-licence/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    # not "a fee of 10,00 €" for a form that charges 30,00 € to dog owners
    assert "eine Gebühr von 10,00 €" not in page
    assert "ab 10,00 €" in page
    english = client.get("/forms/dog-licence/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This service has a fee, from €10.00 depending on your answers" in english


def test_the_summary_shows_what_submitting_charges(client_for, published_form, tenant_a):
    client = client_for(tenant_a)
    url = client.post("/forms/dog-licence/")["Location"]
    base = url.rsplit("/", 2)[0]
    client.post(url, {"first_name": "Anna", "last_name": "Muster", "email": "anna@example.com"})
    client.post(f"{base}/dog/", {"has_dog": "yes", "dog_name": "Bello"})
    client.post(f"{base}/documents/", {"photo": png()})
    client.post(f"{base}/confirm/", {"truth": "yes"})
    check = client.get(f"{base}/check/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    shown = re.search(r"(\d+,\d\d) €", check.split("Gebühr", 1)[1]).group(1)
    key = re.search(r'name="idempotency_key" value="(\w+)"', check).group(1)
    client.post(f"{base}/check/", {"idempotency_key": key})
    with schema_context(tenant_a.schema_name):
        charged = Submission.objects.get().fee_cents
    assert shown == "30,00" and charged == 3000


def test_the_catalogue_shows_the_fee_of_the_services_online_form(
    client_for, published_form, tenant_a
):
    from portalwerk.platform.catalog import demo
    from portalwerk.platform.catalog.models import Service

    demo.seed_library()
    demo.seed_tenant(tenant_a)
    with schema_context(tenant_a.schema_name):
        # the office typed 10 euros into the service description; the form charges 10 or 30
        service = Service.objects.get(slug="meldebescheinigung")
        service.form_url = "/forms/dog-licence/"
        service.save()
    cache.clear()
    page = (
        client_for(tenant_a)
        .get("/services/meldebescheinigung/", HTTP_ACCEPT_LANGUAGE="de")
        .content.decode()
    )
    fees = page.split('id="fees"', 1)[1].split("</section>", 1)[0]
    assert "ab 10,00 €" in fees and "10 Euro" not in fees


def test_bounds_written_as_text_or_fractions_give_the_whole_numbers_between_or_no_range():
    copies = {"key": "n", "type": "number", "label": "N", "required": True}
    per_copy = {"amount": {"*": [700, {"var": "n"}]}}
    # "0.5" as text raised ValueError (a 500 on the start and catalogue pages)
    halves = {**copies, "validation": {"integer": True, "min": "0.5", "max": "3"}}
    assert fee_range(spec(per_copy, halves)) == FeeRange(700, 2100)
    # a bound that is no number at all: no range to state, not an error
    nonsense = {**copies, "validation": {"integer": True, "min": "viele", "max": 3}}
    assert fee_range(spec(per_copy, nonsense)) is None
