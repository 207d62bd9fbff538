"""Forms: `form_validate_100_fields_ms` and `form_submit_rps` (`make bench`, or
`python -m tests.perf --only form`).

Each number comes with a baseline measured in the same run on the same machine, and the ratio
between them, so a slow machine does not read as a regression:
- validate: a deep copy of the same answers (the least any validation must do: touch each value);
  target < 20 ms for 100 fields with 50 conditions.
- submit: one bare INSERT of a draft row per transaction, the floor of any write.
"""

from __future__ import annotations

import copy
import statistics
import time

from .registry import Run, bench


def _median_ms(fn, repeat: int = 200) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def form_validate_100_fields_ms():
    from portalwerk.platform.forms.bench_data import big_answers, big_definition
    from portalwerk.platform.forms.engine.form import FormSpec

    spec = FormSpec.from_definition(big_definition())
    answers = big_answers()
    _, errors = spec.clean_all(answers)
    assert not errors, errors
    value = _median_ms(lambda: spec.clean_all(answers))
    baseline = _median_ms(lambda: copy.deepcopy(answers))
    return value, "ms", baseline


def form_submit_rps(count: int = 200):
    from django.contrib.auth.models import AnonymousUser
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django_tenants.utils import schema_context

    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.authz.actors import from_user
    from portalwerk.platform.formlibrary.library import sync_library
    from portalwerk.platform.forms import services
    from portalwerk.platform.forms.models import Draft
    from portalwerk.tenants.models import Tenant

    sync_library()
    tenant = Tenant.objects.get(slug="alpha")
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 1024
    anonymous = AnonymousUser()
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user("bench@alpha.example", role=Role.CLERK_PROCESSOR)
        form = services.adopt_template(
            actor=from_user(clerk), key="fishing-licence-exam", publish=True
        )
        drafts = []
        for n in range(count):
            draft = services.start_draft(actor=from_user(anonymous), form=form)
            steps = [
                ("person", {"first_name": f"A{n}", "last_name": "B",
                            "date_of_birth": "01.02.1990"}),
                ("address", {"home": {"street": "Weg", "house_number": "1",
                                      "postcode": "12345", "city": "Alpha"}}),
                ("contact", {"email": f"a{n}@example.com"}),
            ]  # fmt: skip
            for key, raw in steps:
                services.save_step(actor=from_user(anonymous), draft=draft, step_key=key, raw=raw)
            upload = services.store_upload(
                actor=from_user(anonymous),
                draft=draft,
                field_key="course_certificate",
                file=SimpleUploadedFile("c.png", png),
            )
            services.save_step(
                actor=from_user(anonymous),
                draft=draft,
                step_key="exam",
                raw={
                    "exam_date": "spring",
                    "course_done": True,
                    "course_certificate": str(upload.pk),
                    "previous_attempt": False,
                },
            )
            services.save_step(
                actor=from_user(anonymous),
                draft=draft,
                step_key="declaration",
                raw={"truthful": True},
            )
            drafts.append(draft)
        start = time.perf_counter()
        for n, draft in enumerate(drafts):
            services.submit_draft(
                actor=from_user(anonymous), draft=draft, idempotency_key=f"bench-{n}"
            )
        value = count / (time.perf_counter() - start)
        version = form.published_version
        start = time.perf_counter()
        for _ in range(count):
            with transaction.atomic():
                Draft.objects.create(version=version, expires_at="2099-01-01T00:00:00Z")
        baseline = count / (time.perf_counter() - start)
    return value, "submissions/s", baseline


@bench("form_validate")
def bench_form_validate(run: Run) -> None:
    """Validating a 100-field form with 50 conditions (target: well under 20 ms)."""
    value, _unit, baseline = form_validate_100_fields_ms()
    run.figure("form_validate_100_fields_ms", value)
    run.figure("form_validate_baseline_deepcopy_ms", baseline)
    run.figure("form_validate_ratio", value / baseline)


@bench("form_submit")
def bench_form_submit(run: Run) -> None:
    """Submitting the fishing licence exam application (service level, one transaction each)."""
    import tempfile

    from django.test import override_settings

    from portalwerk.platform.authz.actors import system
    from portalwerk.tenants import services
    from portalwerk.tenants.models import Tenant

    if not Tenant.objects.filter(slug="alpha").exists():
        services.create_tenant(
            actor=system("bench"),
            data=services.NewTenant(name="Bench Alpha", slug="alpha", kind="municipality"),
        )
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        value, _unit, baseline = form_submit_rps(50 if run.quick else 200)
    run.figure("form_submit_rps", value)
    run.figure("form_submit_baseline_insert_rps", baseline)
    run.figure("form_submit_ratio", value / baseline)
