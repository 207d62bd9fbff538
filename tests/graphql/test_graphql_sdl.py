"""The committed SDL files match the schemas; `export_sdl` writes and checks them."""

import pytest
from django.core.management import CommandError, call_command

from portalwerk.graphql.core import sdl


def test_committed_sdl_files_match_the_schemas():
    stale = [path.name for path in sdl.stale_files()]
    assert stale == [], f"{', '.join(stale)} out of date: run `make sdl` and commit the result"


def test_export_sdl_writes_both_files_and_check_notices_a_change(tmp_path, monkeypatch):
    # given the SDL directory pointed at an empty folder
    monkeypatch.setattr(sdl, "GRAPHQL_DIR", tmp_path)
    # when the command writes the files
    call_command("export_sdl")
    # then both schemas are there, and the check passes
    assert "type Query" in (tmp_path / "tenant.graphql").read_text()
    assert "createTenant(input: CreateTenantInput!)" in (tmp_path / "platform.graphql").read_text()
    call_command("export_sdl", "--check")
    # and when one file no longer matches, the check fails and says what to do
    (tmp_path / "platform.graphql").write_text("type Query { old: String }\n")
    with pytest.raises(CommandError, match=r"platform.graphql out of date; run `make sdl`"):
        call_command("export_sdl", "--check")
