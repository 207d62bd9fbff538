"""Hand-over: `handover_deliveries_per_s` and the submit latency with ten targets (`make bench`,
or `python -m tests.perf --only handover`).

Each number comes with a baseline measured in the same run, from the same process:
- deliveries: a bare loop of signed HTTP POSTs of the same body to the same local receiver (the
  least any webhook delivery must do); the delivery does the claim, the parcel, the JSON, the
  POST and the record of what came of it.
- submit: the same submit with no target at all (and, to show it does not grow with targets,
  with one). The submit writes the delivery rows and their jobs in one statement each, whatever
  the number of targets, and talks to no receiver.
"""

from __future__ import annotations

import statistics
import tempfile
import time

from .registry import Run, bench

SECRET = "bench-secret"
DEFINITION = {
    "steps": [
        {
            "key": "person",
            "title": {"de": "Person", "en": "Person"},
            "fields": [
                {"key": "first_name", "type": "text", "required": True,
                 "label": {"de": "Vorname", "en": "First name"}},
                {"key": "last_name", "type": "text", "required": True,
                 "label": {"de": "Nachname", "en": "Last name"}},
                {"key": "email", "type": "email", "required": True,
                 "label": {"de": "E-Mail", "en": "Email"}},
            ],
        }
    ]
}  # fmt: skip


def _tenant():
    from portalwerk.platform.authz.actors import system
    from portalwerk.tenants import services
    from portalwerk.tenants.models import Tenant

    if not Tenant.objects.filter(slug="alpha").exists():
        services.create_tenant(
            actor=system("bench"),
            data=services.NewTenant(name="Bench Alpha", slug="alpha", kind="municipality"),
        )
    return Tenant.objects.get(slug="alpha")


def _form(slug: str):
    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.forms import services

    clerk, _ = User.objects.get_or_create(
        email="bench-handover@alpha.example", defaults={"role": Role.CLERK_PROCESSOR}
    )
    actor = from_user(clerk)
    form = services.create_form(actor=actor, slug=slug, title={"de": slug}, definition=DEFINITION)
    services.publish_version(actor=actor, version=form.versions.get())
    return form


def _drafts(form, count: int) -> list:
    from django.contrib.auth.models import AnonymousUser

    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.forms import services

    anonymous = from_user(AnonymousUser())
    drafts = []
    for n in range(count):
        draft = services.start_draft(actor=anonymous, form=form)
        raw = {"first_name": f"A{n}", "last_name": "B", "email": f"a{n}@example.org"}
        services.save_step(actor=anonymous, draft=draft, step_key="person", raw=raw)
        drafts.append(draft)
    return drafts


def _submit_ms(drafts) -> list[float]:
    from django.contrib.auth.models import AnonymousUser

    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.forms import services

    anonymous = from_user(AnonymousUser())
    samples = []
    for draft in drafts:
        start = time.perf_counter()
        services.submit_draft(actor=anonymous, draft=draft)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _targets(url: str, count: int, *, active: bool = True) -> list:
    from portalwerk.platform.handover.models import Target

    config = {"url": url, "secret": SECRET, "files": "links", "timeout_seconds": 10}
    return [
        Target.objects.create(
            name=f"bench {n}", backend="webhook", config=config, all_forms=True, is_active=active
        )
        for n in range(count)
    ]


def _bare_posts_per_s(receiver, body: bytes, count: int) -> float:
    import uuid

    import requests

    from portalwerk.platform.handover import signing

    start = time.perf_counter()
    for _ in range(count):
        headers = {
            "Content-Type": "application/json",
            signing.HEADER: signing.sign(body, SECRET),
            "Idempotency-Key": str(uuid.uuid4()),
        }
        requests.post(receiver.url, data=body, headers=headers, timeout=(5, 10)).raise_for_status()
    return count / (time.perf_counter() - start)


@bench("handover")
def bench_handover(run: Run) -> None:
    """Webhook deliveries per second against bare POSTs; submit latency with 10 targets vs 0."""
    import json

    from django.db import connection
    from django.test import override_settings
    from django_tenants.utils import schema_context

    from portalwerk.platform.handover import sending
    from portalwerk.platform.handover.models import Delivery, Target
    from tests.platform.handover.receiver import Receiver

    count = 30 if run.quick else 200
    tenant = _tenant()
    receiver = Receiver(SECRET).start()
    try:
        with (
            tempfile.TemporaryDirectory() as media,
            override_settings(MEDIA_ROOT=media),
            schema_context(tenant.schema_name),
        ):
            # submit latency: the same form with no target, one, then ten
            form = _form("bench-handover")
            drafts = _drafts(form, 3 * count)
            _submit_ms(drafts[:5])  # warm up (first receipt, caches)
            none_ms = statistics.median(_submit_ms(drafts[5:count]))
            _targets(receiver.url, 1)
            one_ms = statistics.median(_submit_ms(drafts[count : 2 * count]))
            _targets(receiver.url, 9)
            ten_ms = statistics.median(_submit_ms(drafts[2 * count :]))
            run.figure("handover_submit_no_target_ms", none_ms)
            run.figure("handover_submit_one_target_ms", one_ms)
            run.figure("handover_submit_ten_targets_ms", ten_ms)
            run.figure("handover_submit_ratio", ten_ms / none_ms)
            run.figure("handover_submit_ten_vs_one_ratio", ten_ms / one_ms)

            # deliveries: one target, `count` deliveries waiting, sent one after another
            Target.objects.update(is_active=False)
            Delivery.objects.all().delete()
            one = _targets(receiver.url, 1)[0]
            submissions = form.submissions.order_by("pk")[:count]
            deliveries = Delivery.objects.bulk_create(
                [Delivery(submission=s, target=one) for s in submissions]
            )
            for delivery in deliveries[:5]:  # warm up (first imports, URL resolver)
                assert sending.send(delivery.pk, job_id=None) == "delivered"
            timed = deliveries[5:]
            start = time.perf_counter()
            for delivery in timed:
                assert sending.send(delivery.pk, job_id=None) == "delivered"
            value = len(timed) / (time.perf_counter() - start)
            body = json.dumps(next(iter(receiver.held.values()))).encode()
            _bare_posts_per_s(receiver, body, 5)
            baseline = _bare_posts_per_s(receiver, body, len(timed))
            run.figure("handover_deliveries_per_s", value)
            run.figure("handover_bare_posts_per_s", baseline)
            run.figure("handover_deliveries_ratio", value / baseline)
            run.figure("handover_payload_bytes", len(body))
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM procrastinate_jobs WHERE task_name LIKE '%handover%'")
    finally:
        receiver.stop()
