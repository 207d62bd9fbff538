"""The one registry: registering, enabling from settings, the demo flag, per-plugin checks."""

from __future__ import annotations

import pytest

from portalwerk.platform.plugins import Plugin, PluginUnavailable
from tests.platform.plugins.sample.kind import PACKAGE, Greeter, greeters


def enable(settings, *names: str, demo: bool) -> None:
    settings.PORTALWERK_PLUGINS = {"greeter": [PACKAGE + name for name in names]}
    settings.PORTALWERK_DEMO_PLUGINS = demo


def test_enabled_plugins_are_the_listed_ones_in_the_listed_order(settings):
    enable(settings, "broken", "hello", demo=False)
    assert [plugin.name for plugin in greeters.enabled()] == ["broken", "hello"]
    assert greeters.get("hello").greet() == "Hello"


def test_a_plugin_that_is_not_listed_is_unavailable_even_when_its_module_was_imported(settings):
    import tests.platform.plugins.sample.broken.plugin  # noqa: F401  (registers "broken")

    enable(settings, "hello", demo=False)
    assert greeters.names() == ["hello"]
    with pytest.raises(PluginUnavailable, match="no greeter plugin 'broken' is enabled"):
        greeters.get("broken")


def test_a_demo_plugin_works_only_while_demo_plugins_are_on(settings):
    enable(settings, "hello", "pretend", demo=True)
    assert greeters.get("pretend").greet() == "Pretend hello"
    assert greeters.check() == []
    settings.PORTALWERK_DEMO_PLUGINS = False
    assert greeters.names() == ["hello"]
    with pytest.raises(PluginUnavailable):
        greeters.get("pretend")
    # and the operator who listed it is told why it does nothing
    [problem] = greeters.check()
    assert (problem.plugin, problem.id, problem.warning) == ("pretend", "W001", True)


def test_check_reports_each_plugins_own_problems_and_packages_that_do_not_load(settings):
    enable(settings, "hello", "broken", "empty", "nonesuch", demo=False)
    problems = {(p.plugin, p.id): p.message for p in greeters.check()}
    assert problems[("broken", "E001")] == "GREETING is not set."
    assert "registers no plugin" in problems[(PACKAGE + "empty", "E002")]
    assert "PORTALWERK_GREETER_PLUGINS" in problems[(PACKAGE + "nonesuch", "E002")]
    assert not any(plugin == "hello" for plugin, _id in problems)


def test_a_name_is_registered_once_and_only_for_the_kinds_interface():
    with pytest.raises(RuntimeError, match="registered twice"):

        @greeters.register("hello")
        class SecondHello(Greeter):
            pass

    with pytest.raises(TypeError):

        @greeters.register("stranger")
        class NotAGreeter(Plugin):
            pass

    assert "stranger" not in greeters._classes
