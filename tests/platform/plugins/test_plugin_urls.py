"""A plugin's own pages are routed while it is enabled, and only then (the process-level switch
is in test_plugin_settings.py; here the URL patterns the plugins hand to the URL confs)."""

from __future__ import annotations

from django.urls import Resolver404, URLResolver, resolve
from django.urls.resolvers import RegexPattern

from portalwerk.platform.plugins import urlpatterns


def resolves(patterns: list, path: str) -> bool:
    try:
        URLResolver(RegexPattern(r"^/"), patterns).resolve(path)
    except Resolver404:
        return False
    return True


def test_the_demo_checkout_is_routed_only_while_demo_plugins_are_on(settings):
    assert resolves(urlpatterns("tenant"), "/pay/demo/demo_abc/")
    settings.PORTALWERK_DEMO_PLUGINS = False
    assert not resolves(urlpatterns("tenant"), "/pay/demo/demo_abc/")


def test_plugin_pages_are_on_tenant_hosts_not_on_the_platform_host():
    assert not resolves(urlpatterns("public"), "/pay/demo/demo_abc/")
    assert resolve("/pay/demo/demo_abc/", "portalwerk.platform.urls_tenant").url_name == "checkout"
    try:
        resolve("/pay/demo/demo_abc/", "portalwerk.platform.urls_public")
        routed_on_platform = True
    except Resolver404:
        routed_on_platform = False
    assert not routed_on_platform
