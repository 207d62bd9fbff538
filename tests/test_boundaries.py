import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AREAS = ["platform", "tenants", "graphql", "billing", "infra"]
CONFIG = ROOT / "pyproject.toml"


def _lint_imports(tmp_path: Path, config: Path = CONFIG) -> subprocess.CompletedProcess:
    # import-linter reads packages from the file system; the areas are mapped into `portalwerk`
    # by the editable install's finder, which it cannot follow, so lay the mapping out as links.
    package = tmp_path / "portalwerk"
    package.mkdir()
    for area in AREAS:
        (package / area).symlink_to(ROOT / area)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(lint), "--no-cache", str(config)], cwd=ROOT, env=env, capture_output=True, text=True
    )


def _contracts() -> list[dict]:
    return tomllib.loads(CONFIG.read_text())["tool"]["importlinter"]["contracts"]


def test_every_import_contract_is_kept(tmp_path):
    # given the import-linter contracts in pyproject.toml (GraphQL boundary, layers of the
    # feature apps, apps that do not know each other)
    contracts = _contracts()
    # when they check the whole code base
    result = _lint_imports(tmp_path)
    # then every one of them is kept
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(contracts)} kept, 0 broken." in result.stdout


def test_every_escape_hatch_says_why(tmp_path):
    # given the contracts' escape hatches
    lines = CONFIG.read_text().splitlines()
    start = lines.index("[tool.importlinter]")
    section = lines[start:]
    # when each ignored import is read with the line above it
    ignored = [i for i, line in enumerate(section) if " -> " in line and line.strip()[0] == '"']
    # then a comment explains it (one comment may cover the imports listed right after it)
    for index in ignored:
        above = index - 1
        while " -> " in section[above]:
            above -= 1
        assert section[above].strip().startswith("#"), section[index]
    assert ignored


def test_an_import_across_a_boundary_breaks_the_contract(tmp_path):
    # given the contracts without the URL confs' exception to the GraphQL boundary
    config = tmp_path / "pyproject.toml"
    kept = [
        x for x in CONFIG.read_text().splitlines() if "urls_tenant -> portalwerk.graphql" not in x
    ]
    config.write_text("\n".join(kept))
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    # when they check the code base, whose tenant URL conf mounts the GraphQL view
    result = _lint_imports(checkout, config)
    # then that import is reported and the check fails
    assert result.returncode != 0
    assert "portalwerk.platform.urls_tenant -> portalwerk.graphql" in result.stdout
