"""`make scale` keeps working: the scale run, at 2 and 5 tenants with a few requests, on a
cluster and into a folder of its own, writes its figures, plots and table. No timing is asserted;
the figures are for people to read (docs/operators/scaling.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.scale import report

ROOT = Path(__file__).resolve().parents[2]
HAND_WRITTEN = "# Scaling\n\nWritten by hand.\n\n"
STALE = f"{report.BEGIN}\nold table\n{report.END}\n\n## After\n\nAlso by hand.\n"


def test_scale_run_writes_figures_plots_and_the_marked_section(tmp_path):
    # given a page with hand-written text around a stale generated section
    doc = tmp_path / "scaling.md"
    doc.write_text(HAND_WRITTEN + STALE)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PORTALWERK_TESTING"}
    }
    env["PORTALWERK_HOME"] = str(tmp_path / "home")
    # when the scale run grows an installation to 2 and then 5 tenants
    result = subprocess.run(
        [
            *(sys.executable, "-m", "tests.scale", "--steps", "2,5", "--requests", "4"),
            *("--spread", "3", "--served", "4", "--out", str(tmp_path), "--doc", str(doc)),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # then the raw figures hold every figure at both steps, measured on what the run made
    record = json.loads((tmp_path / "scaling-figures.json").read_text())
    assert sorted(record["steps"], key=int) == ["2", "5"]
    for step in record["steps"].values():
        assert {figure.key for figure in report.FIGURES} <= set(step)
    two, five = record["steps"]["2"], record["steps"]["5"]
    assert five["pg_class_rows"] > two["pg_class_rows"]
    assert (five["spread_tenants"], five["worker_tenants_served"]) == (3, 4)
    assert five["backend_schemas_touched"] == 4
    # one PNG per plot
    for name in {figure.plot for figure in report.FIGURES}:
        assert (tmp_path / "scaling" / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # and the marked section is replaced, the hand-written text around it kept
    text = doc.read_text()
    assert text.startswith(HAND_WRITTEN) and text.endswith("## After\n\nAlso by hand.\n")
    assert "old table" not in text
    assert "| figure | unit | 2 | 5 |" in text
    assert "![service-page](scaling/service-page.png)" in text
    # and without --keep the run's cluster is gone
    assert not (tmp_path / "home" / "scale-pg").exists()


def test_a_page_without_markers_gets_the_section_appended(tmp_path):
    doc = tmp_path / "scaling.md"
    doc.write_text(HAND_WRITTEN)
    report.update_doc(doc, f"{report.BEGIN}\nnew\n{report.END}")
    assert doc.read_text() == HAND_WRITTEN.rstrip("\n") + f"\n\n{report.BEGIN}\nnew\n{report.END}\n"


def test_a_step_that_cannot_fit_on_the_disk_is_refused_with_a_message(tmp_path):
    from tests.scale import cluster

    # a billion tenants fit on no disk
    message = cluster.check_disk(tmp_path / "scale-pg", 10**9)
    assert message.startswith(f"not enough disk under {tmp_path / 'scale-pg'}: ")
    assert "--home" in message
