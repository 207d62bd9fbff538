"""The Nu HTML Checker (vnu, from npm's `vnu-jar`), installed on first use under
PORTALWERK_HOME/tools/vnu and run once per batch of files (it is a JVM: one start per run).
Without Java or npm the caller's test skips loudly, or fails under PORTALWERK_REQUIRE_ALL=1."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.components import tools_dir, unavailable

JAR = Path("node_modules/vnu-jar/build/dist/vnu.jar")


def vnu_jar() -> Path:
    target = tools_dir() / "vnu"
    jar = target / JAR
    if jar.exists():
        return jar
    npm = shutil.which("npm")
    if npm is None:
        unavailable("vnu (Nu HTML Checker)", "npm is not installed (needed for npm's vnu-jar)")
    try:
        subprocess.run(
            [npm, "install", "--no-save", "--prefix", str(target), "vnu-jar"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        output = getattr(exc, "stderr", b"") or b""
        unavailable("vnu (Nu HTML Checker)", f"`npm install vnu-jar` failed: {output[-500:]!r}")
    if not jar.exists():
        unavailable("vnu (Nu HTML Checker)", f"`npm install vnu-jar` did not produce {jar}")
    return jar


def check_files(files: list[Path]) -> list[str]:
    """Every error vnu finds in these HTML files, as readable lines (empty when valid)."""
    java = shutil.which("java")
    if java is None:
        unavailable("vnu (Nu HTML Checker)", "Java is not installed (vnu is a Java program)")
    jar = vnu_jar()
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m.get('message')} "
        f"[{(m.get('extract') or '').strip()[:120]}]"
        for m in report.get("messages", [])
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
