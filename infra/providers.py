"""Where Terraform gets its providers: from Terraform's registry where it can be reached, or from
a filesystem mirror under PORTALWERK_HOME that is built here from provider sources with Go (the
Keycloak provider cannot be fetched through the Go module proxy, so its source is given as a
tarball: PORTALWERK_TF_PROVIDER_SOURCES, or ../shared/sources beside the repository)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from portalwerk.infra.errors import InfraError
from portalwerk.platform import env

KEYCLOAK = ("keycloak", "keycloak", "5.9.0")  # namespace, type, version (pinned in the modules)
ROOT = Path(__file__).resolve().parent.parent


def mirror() -> Path:
    configured = os.environ.get("PORTALWERK_TF_PROVIDER_MIRROR")
    return Path(configured) if configured else env.home() / "tools" / "terraform-providers"


def missing_hint() -> str:
    """What to tell an operator whose Terraform found no Keycloak provider."""
    from django.utils.translation import gettext as _  # Django is set up when Terraform runs

    namespace, kind, version = KEYCLOAK
    return _(
        "Terraform's provider %(provider)s %(version)s is not in the mirror %(mirror)s: "
        "build it with `python -m portalwerk.infra.providers` (from its source tarball in "
        "PORTALWERK_TF_PROVIDER_SOURCES), or unset PORTALWERK_TF_PROVIDER_MIRROR to take it "
        "from Terraform's registry."
    ) % {"provider": f"{namespace}/{kind}", "version": version, "mirror": mirror()}


def _binary(namespace: str, kind: str, version: str) -> Path:
    return (
        mirror()
        / "registry.terraform.io"
        / namespace
        / kind
        / version
        / "linux_amd64"
        / f"terraform-provider-{kind}_v{version}"
    )


def _sources() -> Path | None:
    configured = os.environ.get("PORTALWERK_TF_PROVIDER_SOURCES")
    for folder in [Path(configured)] if configured else [ROOT.parent / "shared" / "sources"]:
        if folder.is_dir():
            return folder
    return None


def ensure_mirror() -> Path | None:
    """The mirror with the Keycloak provider in it (built the first time), or None when there
    are no sources: then Terraform takes providers from its registry."""
    namespace, kind, version = KEYCLOAK
    binary = _binary(namespace, kind, version)
    if binary.exists():
        return mirror()
    sources = _sources()
    tarball = sources / f"terraform-provider-{kind}-{version}.tar.gz" if sources else None
    if tarball is None or not tarball.exists():
        # a mirror the operator named is used as it is: Terraform then says what is missing
        return mirror() if os.environ.get("PORTALWERK_TF_PROVIDER_MIRROR") else None
    go = shutil.which("go") or (
        "/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None
    )
    if go is None:
        raise InfraError(
            "Go is needed once to build the Keycloak provider from its source "
            f"({tarball}), and it was not found."
        )
    binary.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        with tarfile.open(tarball) as archive:
            archive.extractall(work, filter="data")
        [folder] = [p for p in Path(work).iterdir() if p.is_dir()]
        done = subprocess.run(
            [go, "build", "-o", str(binary.with_suffix(".part")), "."],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if done.returncode != 0:
            raise InfraError("Building the Keycloak provider failed.", log=done.stderr)
    binary.with_suffix(".part").rename(binary)
    return mirror()


if __name__ == "__main__":  # `make test` builds the mirror once, before the tests need it
    try:
        built = ensure_mirror()
    except InfraError as exc:
        print(f"WARNING: {exc.message} The Terraform tests will not run.")
    else:
        print(f"Terraform providers: {built or 'from the registry'}")
