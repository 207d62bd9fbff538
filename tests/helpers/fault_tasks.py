"""A job for the worker fault tests, loaded by the worker processes through
PORTALWERK_EXTRA_TASK_MODULES. It takes a while (so that a worker can be killed or paused while
it runs), then records its effect the way every Portalwerk job must: keyed, so that a retry of
a job that had already done its work does not do it twice."""

import time

from django.db import connection
from procrastinate.contrib.django import app

from portalwerk.platform.jobs import DATABASE_RETRY


@app.task(name="tests.fault_tasks.slow_effect", queue="faults", retry=DATABASE_RETRY)
def slow_effect(key: str, seconds: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO fault_runs (key) VALUES (%s)", [key])
    time.sleep(seconds)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO fault_effects (key) VALUES (%s) ON CONFLICT (key) DO NOTHING", [key]
        )
