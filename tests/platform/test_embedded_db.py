"""The embedded PostgreSQL of the demo and the tests lets nobody else on the machine in."""

import stat
from pathlib import Path

import psycopg
import pytest
from django.db import connection


def test_the_socket_folder_is_the_servers_alone(db):
    # given the running embedded cluster of this test run
    socket_dir = Path(connection.settings_dict["HOST"])
    # then no other user may enter its socket folder
    assert stat.S_IMODE(socket_dir.stat().st_mode) == 0o700


def test_a_connection_without_the_password_is_refused(db):
    settings = connection.settings_dict
    # given the cluster's password is known to the platform
    assert settings["PASSWORD"]
    # when someone connects to the socket without it
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(
            f"postgresql://postgres@/{settings['NAME']}?host={settings['HOST']}", connect_timeout=5
        ).close()
    # then they are refused, while the platform's own connection works
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
