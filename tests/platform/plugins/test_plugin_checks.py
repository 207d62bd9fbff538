"""`manage.py check` reports a misconfigured plugin, in words an operator can act on."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def test_check_names_the_plugin_and_what_is_missing(settings):
    settings.STRIPE_SECRET_KEY = "pk_live_not_a_secret_key"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
    with pytest.raises(SystemCheckError) as failed:
        call_command("check")
    assert "(plugins.E001) payment plugin stripe: STRIPE_SECRET_KEY must be a secret" in str(
        failed.value
    )


def test_check_passes_once_the_plugin_is_configured(settings, capsys):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
    call_command("check")
    assert "no issues" in capsys.readouterr().out


def test_a_plugin_that_is_not_enabled_is_not_checked(settings, capsys):
    settings.STRIPE_SECRET_KEY = ""
    settings.PORTALWERK_PLUGINS = {**settings.PORTALWERK_PLUGINS, "payment": []}
    settings.PORTALWERK_PAYMENT_DEFAULT_PROVIDER = ""
    call_command("check")
    assert "no issues" in capsys.readouterr().out
