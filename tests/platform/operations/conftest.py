"""Probes as Kubernetes sends them: by pod IP, so with a Host header no tenant has."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client

POD_IP = "10.42.0.17:8000"


class Answer:
    def __init__(self, response):
        self.status = response.status_code
        self.headers = response.headers
        self.text = response.content.decode()

    def json(self) -> dict:
        return json.loads(self.text)


def probe(path: str, host: str = POD_IP, **headers) -> Answer:
    return Answer(Client(HTTP_HOST=host).get(path, headers=headers))


def register_worker(age_seconds: int = 0) -> int:
    """A worker's row, as `portalwerk worker` registers it, with a heartbeat this old."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT procrastinate_register_worker_v1()")
        (worker_id,) = cursor.fetchone()
        cursor.execute(
            "UPDATE procrastinate_workers SET last_heartbeat = now() - make_interval(secs => %s) "
            "WHERE id = %s",
            [age_seconds, worker_id],
        )
    return worker_id


@pytest.fixture
def worker_alive(db):
    """A job worker that sent its heartbeat just now (and no other)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_workers")
    return register_worker(0)
