import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_area_folders_do_not_shadow_platform_or_graphql():
    # given the repository root as the working directory (so it is first on sys.path)
    code = "import platform, graphql; platform.system(); graphql.parse('{a}')"
    # when Python imports the standard library's platform and graphql-core from there
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    # then both are the real modules
    assert result.returncode == 0, result.stderr


def test_no_area_folder_is_a_top_level_package():
    for area in ["platform", "tenants", "graphql", "billing", "infra"]:
        assert (ROOT / area).is_dir()
        assert not (ROOT / area / "__init__.py").exists(), area


def test_areas_are_importable_as_portalwerk_subpackages_from_anywhere():
    # given a working directory outside the repository
    code = "import portalwerk.tenants.errors as m; print(m.__file__)"
    # when Python imports an area module through the portalwerk package
    result = subprocess.run([sys.executable, "-c", code], cwd="/", capture_output=True, text=True)
    # then it comes from the area folder
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(ROOT / "tenants" / "errors.py")
