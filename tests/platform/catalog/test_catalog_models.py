import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django_tenants.utils import schema_context

from portalwerk.platform.catalog.colours import contrast_ratio, validate_brand_colour
from portalwerk.platform.catalog.models import Closure, Office, OpeningHours, Service
from portalwerk.platform.library.errors import CatalogErrorCode
from portalwerk.platform.library.models import FeeKind
from portalwerk.platform.library.validators import validate_leika_key


@pytest.mark.parametrize("key", ["99050012104000", "99000000000000", ""])
def test_valid_leika_keys_pass(key):
    validate_leika_key(key)


@pytest.mark.parametrize(
    "key", ["12050012104000", "9905001210400", "990500121040001", "99O50012104000", "99 0500121040"]
)
def test_invalid_leika_keys_are_rejected_with_an_explanation(key):
    with pytest.raises(ValidationError) as caught:
        validate_leika_key(key)
    assert caught.value.code == CatalogErrorCode.INVALID_LEIKA_KEY
    with translation.override("en"):
        assert "14 digits and starts with 99" in caught.value.messages[0]


def service(**fields) -> Service:
    data = {"slug": "s", "name_de": "Hundesteuer", "summary_de": "Steuer für Hunde."}
    return Service(**{**data, **fields})


def test_a_fixed_fee_needs_an_amount(tenant_a):
    with schema_context(tenant_a.schema_name):
        with pytest.raises(ValidationError) as caught:
            service(fee_kind=FeeKind.AMOUNT).full_clean()
        assert "fee_amount_cents" in caught.value.error_dict
        service(fee_kind=FeeKind.AMOUNT, fee_amount_cents=3500, budget_line="1.2.3").full_clean()


def test_an_amount_does_not_go_with_free_of_charge(tenant_a):
    with schema_context(tenant_a.schema_name):
        with pytest.raises(ValidationError) as caught:
            service(fee_kind=FeeKind.FREE, fee_amount_cents=100).full_clean()
        assert caught.value.error_dict["fee_amount_cents"][0].code == (
            CatalogErrorCode.FEE_AMOUNT_NOT_ALLOWED
        )


def test_german_is_required_and_english_optional(tenant_a):
    with schema_context(tenant_a.schema_name):
        with pytest.raises(ValidationError) as caught:
            service(name_de="", name_en="Dog tax").full_clean()
        assert "name_de" in caught.value.error_dict
        service(name_en="").full_clean()


def test_content_falls_back_to_german_and_says_so():
    item = service(name_en="Dog tax", summary_en="")
    with translation.override("en"):
        assert item.name == "Dog tax" and item.name.lang == "en"
        assert item.summary == "Steuer für Hunde." and item.summary.lang == "de"
    with translation.override("de"):
        assert item.name == "Hundesteuer" and item.name.lang == "de"


def test_opening_hours_must_close_after_they_open(tenant_a):
    with schema_context(tenant_a.schema_name):
        office = Office.objects.create(
            slug="rathaus", name_de="Rathaus", street="Markt 1", postcode="12345", city="Alpha"
        )
        period = OpeningHours(
            office=office, weekday=0, opens=datetime.time(12), closes=datetime.time(8)
        )
        with pytest.raises(ValidationError):
            period.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            period.save()


def test_a_closure_cannot_end_before_it_starts(tenant_a):
    with schema_context(tenant_a.schema_name):
        office = Office.objects.create(
            slug="rathaus", name_de="Rathaus", street="Markt 1", postcode="12345", city="Alpha"
        )
        closure = Closure(
            office=office,
            first_day=datetime.date(2026, 12, 31),
            last_day=datetime.date(2026, 12, 24),
        )
        with pytest.raises(ValidationError):
            closure.full_clean()


def test_contrast_ratio_matches_wcag_reference_values():
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54


def test_a_brand_colour_that_fails_aa_is_rejected_with_the_reason():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_brand_colour("#777777")
    with translation.override("en"):
        message = caught.value.messages[0]
    assert caught.value.code == CatalogErrorCode.CONTRAST_TOO_LOW
    assert "4.47:1" in message and "4.5:1" in message and "darker" in message
    with translation.override("de"), pytest.raises(ValidationError) as caught:
        validate_brand_colour("#777777")
    with translation.override("de"):
        assert "4,47:1" in caught.value.messages[0] and "4,5:1" in caught.value.messages[0]
    validate_brand_colour("#767676")
    validate_brand_colour("#00548a")


@pytest.mark.parametrize("value", ["red", "#fff", "#gggggg", "00548a", ""])
def test_a_brand_colour_must_be_a_hex_colour(value):
    with pytest.raises(ValidationError) as caught:
        validate_brand_colour(value)
    assert caught.value.code == CatalogErrorCode.INVALID_COLOUR
