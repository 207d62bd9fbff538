"""Production logs one JSON object per line; the demo (DEBUG) readable lines, JSON one setting
away. Checked in a fresh process with the one settings module, as `portalwerk` starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

LOG = (
    "import django; django.setup(); import logging; "
    "logging.getLogger('portalwerk.example').warning('disk at %s percent', 91)"
)


def logged(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PORTALWERK_", "DJANGO_"))}
    clean.update(
        PORTALWERK_HOME=str(tmp_path),
        DATABASE_URL="postgresql://u@db/x",
        DJANGO_SETTINGS_MODULE="portalwerk.platform.settings",
        PORTALWERK_SECRET_KEY="k" * 50,
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", LOG], env=clean, capture_output=True, text=True, cwd=tmp_path
    )


def test_production_logs_json_lines(tmp_path):
    result = logged(tmp_path)
    [line] = result.stderr.splitlines()
    entry = json.loads(line)
    assert entry["event"] == "disk at 91 percent"
    assert (entry["level"], entry["logger"]) == ("warning", "portalwerk.example")
    assert entry["timestamp"].endswith("Z")


def test_the_demo_logs_readable_lines_and_json_is_one_setting_away(tmp_path):
    readable = logged(tmp_path, DJANGO_DEBUG="1").stderr
    assert "disk at 91 percent" in readable and not readable.lstrip().startswith("{")
    as_json = logged(tmp_path, DJANGO_DEBUG="1", PORTALWERK_LOG_FORMAT="json").stderr
    assert json.loads(as_json.splitlines()[-1])["event"] == "disk at 91 percent"


def test_an_unknown_log_format_is_named_in_the_error(tmp_path):
    result = logged(tmp_path, PORTALWERK_LOG_FORMAT="xml")
    assert result.returncode != 0 and "PORTALWERK_LOG_FORMAT must be one of" in result.stderr
