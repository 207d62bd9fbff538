"""The skip-or-fail rule for real components (tests/components.py)."""

from __future__ import annotations

import components
import pytest


def test_a_missing_component_skips_loudly_or_fails_when_all_are_required(monkeypatch, capsys):
    monkeypatch.delenv("PORTALWERK_REQUIRE_ALL", raising=False)
    with pytest.raises(pytest.skip.Exception, match="stripe-mock is not available: no Go"):
        components.unavailable("stripe-mock", "no Go")
    assert "SKIPPED: stripe-mock is not available" in capsys.readouterr().err
    monkeypatch.setenv("PORTALWERK_REQUIRE_ALL", "1")
    with pytest.raises(pytest.fail.Exception, match="PORTALWERK_REQUIRE_ALL=1 requires it"):
        components.unavailable("stripe-mock", "no Go")


def test_a_go_tool_without_go_is_unavailable(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTALWERK_HOME", str(tmp_path))
    monkeypatch.setattr(components, "GO_CANDIDATES", (str(tmp_path / "no-go"),))
    monkeypatch.delenv("PORTALWERK_REQUIRE_ALL", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Go is not installed"):
        components.go_tool("github.com/stripe/stripe-mock", "stripe-mock")
    monkeypatch.setenv("PORTALWERK_REQUIRE_ALL", "1")
    with pytest.raises(pytest.fail.Exception):
        components.go_tool("github.com/stripe/stripe-mock", "stripe-mock")


def test_a_cached_go_tool_is_not_built_again(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTALWERK_HOME", str(tmp_path))
    monkeypatch.setattr(components, "GO_CANDIDATES", (str(tmp_path / "no-go"),))
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "stripe-mock").write_text("cached")
    assert (
        components.go_tool("github.com/stripe/stripe-mock", "stripe-mock").read_text() == "cached"
    )
