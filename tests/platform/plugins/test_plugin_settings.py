"""Which plugins an installation enables, and which Django apps that brings, from the
environment; and demo plugins off outside development in a freshly started process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from portalwerk.platform.plugins.installation import enabled_packages, plugin_apps
from portalwerk.platform.plugins.kinds import kind

PAYMENT = "portalwerk.billing.providers.contrib."
DEMO_APP = PAYMENT + "demo"
DATASOURCE = "portalwerk.platform.datasources.contrib."


def test_unset_means_the_default_and_empty_means_none():
    assert enabled_packages(demo=False, environ={})["identity"] == [
        "portalwerk.platform.accounts.identity.contrib.local"
    ]
    emptied = enabled_packages(demo=False, environ={"PORTALWERK_IDENTITY_PLUGINS": ""})
    assert emptied["identity"] == []
    assert emptied["payment"] == []  # no default payment provider
    # the other kinds keep their defaults
    assert len(emptied["handover"]) == len(kind("handover").default)
    assert emptied["datasource"] == [DATASOURCE + "rest", DATASOURCE + "soap"]


def test_short_names_are_built_in_plugins_and_dotted_paths_are_packages_anywhere():
    environ = {"PORTALWERK_PAYMENT_PLUGINS": "stripe, acme.pay ,stripe"}
    assert enabled_packages(demo=False, environ=environ)["payment"] == [
        PAYMENT + "stripe",
        "acme.pay",
    ]


def test_demo_plugins_join_only_when_switched_on_and_bring_their_app():
    off = enabled_packages(demo=False, environ={"PORTALWERK_PAYMENT_PLUGINS": "stripe"})
    on = enabled_packages(demo=True, environ={"PORTALWERK_PAYMENT_PLUGINS": "stripe"})
    assert on["payment"] == [PAYMENT + "stripe", DEMO_APP]
    assert plugin_apps(on, "tenant") == [DEMO_APP]  # stripe has no app of its own
    # the demo back office (hand-over) is one stand-in for the installation, in public
    assert plugin_apps(on, "shared") == ["portalwerk.platform.handover.contrib.demo"]
    assert plugin_apps(off, "tenant") == []
    assert plugin_apps(off, "shared") == []


def test_the_replaced_settings_are_named_rather_than_ignored():
    with pytest.raises(ImproperlyConfigured, match="PORTALWERK_IDENTITY_PLUGINS"):
        enabled_packages(demo=False, environ={"PORTALWERK_IDENTITY_PROVIDERS": "local"})


def test_a_listed_package_that_does_not_exist_stops_the_start_with_its_setting_named():
    enabled = enabled_packages(demo=False, environ={"PORTALWERK_PAYMENT_PLUGINS": "nonesuch.x"})
    with pytest.raises(ImproperlyConfigured, match="PORTALWERK_PAYMENT_PLUGINS names 'nonesuch.x'"):
        plugin_apps(enabled, "tenant")


STARTUP = """
import json, django
django.setup()
from django.conf import settings
from django.urls import Resolver404, resolve
from portalwerk.billing.providers.registry import providers
try:
    routed = resolve("/pay/demo/demo_x/", "portalwerk.platform.urls_tenant").url_name
except Resolver404:
    routed = None
print(json.dumps({
    "installed": "portalwerk.billing.providers.contrib.demo" in settings.INSTALLED_APPS,
    "providers": providers.names(),
    "default": settings.PORTALWERK_PAYMENT_DEFAULT_PROVIDER,
    "routed": routed,
}))
"""


def started(tmp_path, **env) -> dict:
    """A process started as production would be: no DJANGO_DEBUG, no PORTALWERK_TESTING."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PORTALWERK_", "DJANGO_"))}
    clean.update(
        PORTALWERK_HOME=str(tmp_path),
        PORTALWERK_SECRET_KEY="k" * 50,
        DJANGO_SETTINGS_MODULE="portalwerk.platform.settings",
        PORTALWERK_PAYMENT_PLUGINS="stripe",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", STARTUP], env=clean, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_outside_development_the_demo_payment_plugin_is_not_installed_routed_or_offered(tmp_path):
    assert started(tmp_path) == {
        "installed": False,
        "providers": ["stripe"],
        "default": "",
        "routed": None,
    }


def test_an_operator_turns_demo_plugins_on_with_one_setting(tmp_path):
    assert started(tmp_path, PORTALWERK_DEMO_PLUGINS="1") == {
        "installed": True,
        "providers": ["demo", "stripe"],
        "default": "demo",
        "routed": "checkout",
    }
