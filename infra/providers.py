"""Where Terraform gets its providers: from Terraform's registry where it can be reached, or from
a filesystem mirror under PORTALWERK_HOME that is built here with Go, once per machine. Each
provider of the table comes either from a source tarball (the Keycloak provider: the Go module
proxy does not serve it; PORTALWERK_TF_PROVIDER_SOURCES, or ../shared/sources beside the
repository) or from the Go module proxy as a Go module at its pinned version."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from portalwerk.infra.errors import InfraError
from portalwerk.platform import env

ROOT = Path(__file__).resolve().parent.parent
GO_CANDIDATES = ("go", "/usr/local/go/bin/go", "/usr/lib/go/bin/go")


@dataclass(frozen=True)
class Provider:
    namespace: str
    kind: str
    version: str  # the same as pinned in the modules' versions.tf (tests/infra checks it)
    module: str | None = None  # a Go module at v<version>; without one, a source tarball

    @property
    def source(self) -> str:
        return f"{self.namespace}/{self.kind}"

    def binary(self) -> Path:
        return (
            mirror()
            / "registry.terraform.io"
            / self.namespace
            / self.kind
            / self.version
            / "linux_amd64"
            / f"terraform-provider-{self.kind}_v{self.version}"
        )


PROVIDERS = (
    Provider("keycloak", "keycloak", "5.9.0"),
    # Kubernetes objects as manifests: the current API versions (networking.k8s.io/v1,
    # policy/v1) and custom resources (CloudNativePG, cert-manager) alike.
    Provider(
        "gavinbunney",
        "kubectl",
        "1.19.0",
        module="github.com/gavinbunney/terraform-provider-kubectl",
    ),
)
KEYCLOAK = PROVIDERS[0]


def mirror() -> Path:
    configured = os.environ.get("PORTALWERK_TF_PROVIDER_MIRROR")
    return Path(configured) if configured else env.home() / "tools" / "terraform-providers"


def missing_hint() -> str:
    """What to tell an operator whose Terraform found no Keycloak provider."""
    from django.utils.translation import gettext as _  # Django is set up when Terraform runs

    return _(
        "Terraform's provider %(provider)s %(version)s is not in the mirror %(mirror)s: "
        "build it with `python -m portalwerk.infra.providers` (from its source tarball in "
        "PORTALWERK_TF_PROVIDER_SOURCES), or unset PORTALWERK_TF_PROVIDER_MIRROR to take it "
        "from Terraform's registry."
    ) % {"provider": KEYCLOAK.source, "version": KEYCLOAK.version, "mirror": mirror()}


def provider(kind: str) -> Provider:
    [found] = [p for p in PROVIDERS if p.kind == kind]
    return found


def _sources() -> Path | None:
    configured = os.environ.get("PORTALWERK_TF_PROVIDER_SOURCES")
    for folder in [Path(configured)] if configured else [ROOT.parent / "shared" / "sources"]:
        if folder.is_dir():
            return folder
    return None


def go() -> str | None:
    for candidate in GO_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def _go(arguments: list[str], cwd: Path, what: str) -> str:
    binary = go()
    if binary is None:
        raise InfraError(f"Go is needed once to build {what}, and it was not found.")
    done = subprocess.run(
        [binary, *arguments], cwd=cwd, capture_output=True, text=True, timeout=1800
    )
    if done.returncode != 0:
        raise InfraError(f"Building {what} failed.", log=done.stderr)
    return done.stdout


def _tree_from_tarball(item: Provider, work: Path) -> Path | None:
    sources = _sources()
    tarball = sources / f"terraform-provider-{item.kind}-{item.version}.tar.gz" if sources else None
    if tarball is None or not tarball.exists():
        return None
    with tarfile.open(tarball) as archive:
        archive.extractall(work, filter="data")
    [folder] = [p for p in work.iterdir() if p.is_dir()]
    return folder


def _tree_from_module(item: Provider, work: Path) -> Path:
    """The module's files from the module proxy, copied out of Go's read-only module cache."""
    what = f"the {item.source} provider"
    listed = _go(["mod", "download", "-json", f"{item.module}@v{item.version}"], work, what)
    found = json.loads(listed)
    if found.get("Error"):
        raise InfraError(f"Building {what} failed: {found['Error']}")
    folder = work / "source"
    shutil.copytree(found["Dir"], folder)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    return folder


def ensure(item: Provider) -> bool:
    """The provider in the mirror, built the first time; False when its source is not there
    (no tarball): then Terraform takes it from its registry."""
    binary = item.binary()
    if binary.exists():
        return True
    with tempfile.TemporaryDirectory() as work:
        if item.module:
            folder = _tree_from_module(item, Path(work))
        else:
            folder = _tree_from_tarball(item, Path(work))
        if folder is None:
            return False
        binary.parent.mkdir(parents=True, exist_ok=True)
        part = binary.with_suffix(".part")
        _go(["build", "-o", str(part), "."], folder, f"the {item.source} provider")
    part.rename(binary)
    return True


def ensure_mirror(kinds: list[str] | None = None) -> Path | None:
    """The mirror with the given providers in it (all of the table by default), or None when
    one of them cannot be built here for want of its source: Terraform then takes providers
    from its registry (a plugin directory given to `terraform init` must hold all of them)."""
    wanted = [p for p in PROVIDERS if kinds is None or p.kind in kinds]
    if all([ensure(item) for item in wanted]):
        return mirror()
    # a mirror the operator named is used as it is: Terraform then says what is missing
    return mirror() if os.environ.get("PORTALWERK_TF_PROVIDER_MIRROR") else None


def main() -> None:  # `make terraform-providers`: builds what is missing, once per machine
    for item in PROVIDERS:
        started = time.monotonic()
        cached = item.binary().exists()
        try:
            built = ensure(item)
        except InfraError as exc:
            print(f"WARNING: {exc.message} The Terraform tests that need it will not run.")
            continue
        if not built:
            print(f"{item.source} {item.version}: no source here, from the registry")
        elif cached:
            print(f"{item.source} {item.version}: {item.binary()}")
        else:
            print(f"{item.source} {item.version}: built in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
