"""Configuration comes from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys

CHECK = "import portalwerk.platform.settings as s; print(s.DEBUG, bool(s.SECRET_KEY))"


def settings_in_fresh_process(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PORTALWERK_", "DJANGO_"))}
    clean.update({"PORTALWERK_HOME": str(tmp_path), "DATABASE_URL": "postgresql://u@db/x", **env})
    return subprocess.run(
        [sys.executable, "-c", CHECK], env=clean, capture_output=True, text=True, cwd=tmp_path
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = settings_in_fresh_process(tmp_path)
    assert result.returncode != 0
    assert "PORTALWERK_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_turned_on(tmp_path):
    result = settings_in_fresh_process(tmp_path, PORTALWERK_SECRET_KEY="k" * 50)
    assert result.stdout.split() == ["False", "True"]


def test_demo_generates_and_keeps_its_own_secret_key(tmp_path):
    first = settings_in_fresh_process(tmp_path, DJANGO_DEBUG="1")
    key = (tmp_path / "secret_key").read_text()
    second = settings_in_fresh_process(tmp_path, DJANGO_DEBUG="1")
    assert first.stdout.split() == ["True", "True"] == second.stdout.split()
    assert (tmp_path / "secret_key").read_text() == key
    assert len(key) >= 50


def test_a_malformed_setting_is_named_in_the_error(tmp_path):
    result = settings_in_fresh_process(tmp_path, DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be" in result.stderr


def test_missing_database_configuration_says_what_to_do(tmp_path):
    result = settings_in_fresh_process(tmp_path, PORTALWERK_SECRET_KEY="k" * 50, DATABASE_URL="")
    assert "DATABASE_URL is not set" in result.stderr
