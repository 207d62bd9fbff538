"""A mail job for the mail fault tests, loaded by worker processes through
PORTALWERK_EXTRA_TASK_MODULES: it sends one mail through `portalwerk.platform.mail` (keyed by
nothing but the job itself, as every mail job is) and then takes a while, so that the worker
can be killed after the mail went out and before the job is marked done."""

import time

from portalwerk.platform import mail
from portalwerk.platform.jobs import tenant_task


@tenant_task(name="tests.mail_tasks.mail_then_wait", queue="mailfaults", retry=3)
def mail_then_wait(*, to: str, seconds: float) -> str:
    mail.send(to=to, language="de", subject="Ihr Termin", body="Bis bald.")
    time.sleep(seconds)
    return to
