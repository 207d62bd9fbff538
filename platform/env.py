"""Reading settings from the environment, with the errors an operator can act on."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured


def home() -> Path:
    """Where local state lives (embedded database, demo secret, mail, media): git-ignored."""
    return Path(os.environ.get("PORTALWERK_HOME", Path.cwd() / ".portalwerk")).resolve()


def demo_file(state_dir: Path) -> Path:
    """Written by a running `portalwerk demo`: its process id and the port it serves."""
    return state_dir / "run" / "demo"


def served_port(state_dir: Path) -> str:
    """The port a demo running on this state directory serves, or "" (no demo, or a stale file
    of a demo that was killed), so commands run beside it print URLs that work."""
    try:
        pid, port = demo_file(state_dir).read_text().split()
        os.kill(int(pid), 0)
    except (OSError, ValueError):
        return ""
    return port


def flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def integer(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def words(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [word.strip() for word in value.split(",") if word.strip()]


def dev_secret_key(state_dir: Path) -> str:
    """The demo and the tests generate a key once and keep it, so sessions survive restarts."""
    path = state_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    state_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def database(state_dir: Path) -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        running = state_dir / "run" / "database_url"
        if running.exists():
            url = running.read_text().strip()
    if not url:
        raise ImproperlyConfigured(
            "DATABASE_URL is not set and no embedded PostgreSQL is running. "
            "Set DATABASE_URL, or use `make demo` / the `portalwerk` command, which start one."
        )
    return parse_database_url(url)


def parse_database_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgresql:// URL, not {parsed.scheme!r}"
        )
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    host = query.pop("host", None) or (parsed.hostname or "")
    return {
        "NAME": unquote(parsed.path.lstrip("/")) or "portalwerk",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(parsed.port or ""),
        "OPTIONS": query,
    }
