"""A tenant admin's settings of a DMS target, and the schema check every message passes before
it is sent."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import translation
from lxml import etree

from portalwerk.platform.handover.backends import DeliveryError, Problem
from portalwerk.platform.handover.contrib.dms import message
from portalwerk.platform.handover.registry import backends
from tests.helpers.dms import dms_config, make_parcel


def form_for(**changes):
    data = {k: v for k, v in dms_config(**changes).items() if v != ""}
    return backends.get("dms").config_form(data=data)


def test_a_webdav_target_is_saved_as_json_with_the_password_kept_secret():
    form = form_for(url="https://dms.example/inbox/")

    assert form.is_valid(), form.errors
    assert json.loads(json.dumps(form.cleaned_data))["url"] == "https://dms.example/inbox/"
    assert "password" in backends.get("dms").secret_fields


def test_a_webdav_target_needs_an_address():
    with translation.override("de"):
        form = form_for(url="")
        assert not form.is_valid()
        assert form.errors["url"] == ["Geben Sie die Adresse des WebDAV-Ordners ein."]


@pytest.mark.parametrize("name", ["../other-tenant", "/etc", "a/../../b", ".hidden", ""])
def test_a_folder_target_cannot_name_a_path_outside_its_folder(name):
    form = form_for(destination="folder", url="", folder=name)

    assert not form.is_valid()
    assert "folder" in form.errors


def test_a_stored_folder_setting_that_escapes_is_refused_at_delivery(settings, tmp_path):
    settings.PORTALWERK_HANDOVER_DMS_FOLDER_ROOT = tmp_path / "dms"

    with pytest.raises(DeliveryError) as refused:
        backends.get("dms").deliver(
            make_parcel(), dms_config(destination="folder", folder="../../tmp")
        )

    assert refused.value.problem == Problem.CONFIGURATION
    assert not (tmp_path / "dms").exists() and not list(tmp_path.glob("*.zip"))


def _built_message() -> etree._Element:
    package = message.build(
        make_parcel(),
        sender=message.Party("Stadt Alpha"),
        recipient=message.Party("Landratsamt"),
    )
    return etree.fromstring(package.message)


def test_a_message_missing_a_required_element_fails_the_schema_check():
    tampered = _built_message()
    head = tampered.find("{urn:xoev-de:xdomea:schema:3.0.0}Kopf")
    head.remove(head.find("{urn:xoev-de:xdomea:schema:3.0.0}Erstellerkennung"))

    with pytest.raises(message.InvalidMessage) as invalid:
        message.validate(etree.tostring(tampered))

    assert "Erstellerkennung" in str(invalid.value) or "Stapel" in str(invalid.value)


@pytest.mark.parametrize("element", ["ProzessID", "Posteingangsdatum"])
def test_the_schema_check_names_no_value_it_rejects(element):
    tampered = _built_message()
    tampered.find(f".//{{urn:xoev-de:xdomea:schema:3.0.0}}{element}").text = "Jörg's Weiß"

    with pytest.raises(message.InvalidMessage) as invalid:
        message.validate(etree.tostring(tampered))

    assert element in str(invalid.value)
    assert "Jörg" not in str(invalid.value)


def test_a_test_parcel_says_so_in_the_message():
    package = message.build(
        make_parcel(test=True), sender=message.Party("A"), recipient=message.Party("B")
    )

    assert b"<xdomea:Hinweis>Test:" in package.message


def test_the_installation_check_finds_the_xdomea_schemas():
    assert backends.get("dms").check_config() == []


def test_the_date_of_receipt_is_the_offices_date_not_utcs():
    # 23:30 UTC on 1 December is half past midnight on 2 December in Germany
    late = make_parcel(submitted_at=datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC))
    package = message.build(
        late, sender=message.Party("Stadt Alpha"), recipient=message.Party("Landratsamt")
    )
    received = etree.fromstring(package.message).find(".//{*}Posteingangsdatum")

    assert received.text == "2026-12-02"


def test_the_soap_mapping_gives_the_offices_date_too():
    from portalwerk.platform.handover.contrib.soap.mapping import PARCEL_FACTS

    late = make_parcel(submitted_at=datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC))

    assert PARCEL_FACTS["submitted_on"](late) == datetime.date(2026, 12, 2)
