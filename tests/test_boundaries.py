import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AREAS = ["platform", "tenants", "graphql", "billing", "infra"]


def _lint_imports(tmp_path: Path) -> subprocess.CompletedProcess:
    # import-linter reads packages from the file system; the areas are mapped into `portalwerk`
    # by the editable install's finder, which it cannot follow, so lay the mapping out as links.
    package = tmp_path / "portalwerk"
    package.mkdir()
    for area in AREAS:
        (package / area).symlink_to(ROOT / area)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(lint)], cwd=ROOT, env=env, capture_output=True, text=True)


def test_domain_code_never_imports_the_graphql_layer(tmp_path):
    # given the import-linter contract in pyproject.toml
    # when it checks the whole code base
    result = _lint_imports(tmp_path)
    # then the contract is kept
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout
