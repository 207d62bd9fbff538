"""What reaches an operator when Terraform fails: one readable line, and the full log kept
beside it for whoever needs the details (never a Python traceback)."""

from __future__ import annotations


class InfraError(Exception):
    def __init__(self, message: str, *, log: str = ""):
        super().__init__(message)
        self.message = message
        self.log = log


def first_error(log: str) -> str:
    """Terraform's own summary line of an error ("Error: …" with what follows on its line)."""
    for line in log.splitlines():
        text = line.strip().strip("│").strip()
        if text.startswith("Error:"):
            return text.removeprefix("Error:").strip()
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    return lines[-1] if lines else "Terraform failed without saying why."
