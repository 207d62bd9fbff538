"""What the operator configures for Terraform beyond the platform's own data: the state accounts
the realm brokers, and per tenant its own directory and identity provider. The platform stores
none of these, so they live in one JSON file named by PORTALWERK_TF_CONFIG
(docs/operators/provisioning.md, "Operator configuration"); secrets in it are names of
environment variables (`…_env`), never the secrets themselves.

Only what Terraform cannot check is checked here (the file, its top-level shape, the secrets'
variables); the shapes of the entries are the modules' variables, whose own messages reach the
operator as one line."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from portalwerk.infra.errors import InfraError

SECTIONS = ("state_accounts", "tenants")


def load() -> dict:
    path = settings.PORTALWERK_TF_CONFIG
    if not path:
        return {}
    try:
        found = json.loads(Path(path).read_text())
    except OSError as exc:
        raise InfraError(
            _("PORTALWERK_TF_CONFIG: %(path)s cannot be read (%(why)s).")
            % {"path": path, "why": exc.strerror}
        ) from None
    except ValueError as exc:
        raise InfraError(
            _("PORTALWERK_TF_CONFIG: %(path)s is not JSON (%(why)s).") % {"path": path, "why": exc}
        ) from None
    if not isinstance(found, dict) or not all(
        isinstance(found.get(name, {}), dict) for name in SECTIONS
    ):
        raise InfraError(
            _("PORTALWERK_TF_CONFIG: %(path)s must hold an object with the objects %(names)s.")
            % {"path": path, "names": ", ".join(SECTIONS)}
        )
    return found


#: what stands in for a secret whose variable is unset while a tenant's objects are destroyed
#: (Terraform needs the variables then, not the secrets)
UNUSED = "unused-while-destroying"


def with_secrets(entry, where: str, *, destroying: bool = False):
    """The entry with each `<name>_env` replaced by `<name>` = that environment variable."""
    if not isinstance(entry, dict):
        return entry
    resolved = {}
    for key, value in entry.items():
        if not key.endswith("_env"):
            resolved[key] = value
            continue
        secret = os.environ.get(str(value)) if isinstance(value, str) else None
        if not secret and destroying:
            secret = UNUSED
        if not secret:
            raise InfraError(
                _(
                    "PORTALWERK_TF_CONFIG: %(where)s.%(key)s names the environment variable "
                    "%(variable)s, which is not set."
                )
                % {"where": where, "key": key, "variable": value}
            )
        resolved[key.removesuffix("_env")] = secret
    return resolved


def state_accounts() -> dict:
    return load().get("state_accounts", {})


def tenant(slug: str, *, destroying: bool = False) -> dict:
    """The tenant's `directory` and `identity_provider` (each None when not configured)."""
    entry = load().get("tenants", {}).get(slug) or {}
    if not isinstance(entry, dict):
        raise InfraError(
            _("PORTALWERK_TF_CONFIG: tenants.%(slug)s must be an object.") % {"slug": slug}
        )
    return {
        name: with_secrets(entry.get(name), f"tenants.{slug}.{name}", destroying=destroying)
        for name in ("directory", "identity_provider")
    }
