"""The schemas' SDL, exported to graphql/<name>.graphql (`make sdl`) and checked by a test."""

from __future__ import annotations

from pathlib import Path

from strawberry.printer import print_schema

GRAPHQL_DIR = Path(__file__).resolve().parent.parent


def printed_schemas() -> dict[Path, str]:
    from portalwerk.graphql.schema_platform import schema as platform_schema
    from portalwerk.graphql.schema_tenant import schema as tenant_schema

    return {
        GRAPHQL_DIR / "tenant.graphql": print_schema(tenant_schema) + "\n",
        GRAPHQL_DIR / "platform.graphql": print_schema(platform_schema) + "\n",
    }


def stale_files() -> list[Path]:
    return [
        path
        for path, text in printed_schemas().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
