"""Benchmarks of the forms app: `form_validate_100_fields_ms` and `form_submit_rps`.

Run: `PORTALWERK_HOME=/tmp/pw .venv/bin/python -m tests.perf.bench_forms` (or through `make bench`
once main's tests/perf registry exists: `BENCHMARKS` below maps each name to a function that
returns `(value, unit, baseline_value)`; the merge registers them in that registry).

Each number comes with a baseline measured in the same run on the same machine, and the ratio
between them, so a slow machine does not read as a regression:
- validate: a deep copy of the same answers (the least any validation must do: touch each value);
  target < 20 ms for 100 fields with 50 conditions.
- submit: one bare INSERT of a draft row per transaction, the floor of any write.
"""

from __future__ import annotations

import copy
import os
import statistics
import sys
import time


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
    from portalwerk.platform.forms.engine import FormSpec

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
        form = services.adopt_template(actor=clerk, key="fishing-licence-exam", publish=True)
        drafts = []
        for n in range(count):
            draft = services.start_draft(actor=anonymous, form=form)
            steps = [
                ("person", {"first_name": f"A{n}", "last_name": "B",
                            "date_of_birth": "01.02.1990"}),
                ("address", {"home": {"street": "Weg", "house_number": "1",
                                      "postcode": "12345", "city": "Alpha"}}),
                ("contact", {"email": f"a{n}@example.com"}),
            ]  # fmt: skip
            for key, raw in steps:
                services.save_step(actor=anonymous, draft=draft, step_key=key, raw=raw)
            upload = services.store_upload(
                actor=anonymous,
                draft=draft,
                field_key="course_certificate",
                file=SimpleUploadedFile("c.png", png),
            )
            services.save_step(
                actor=anonymous,
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
                actor=anonymous, draft=draft, step_key="declaration", raw={"truthful": True}
            )
            drafts.append(draft)
        start = time.perf_counter()
        for n, draft in enumerate(drafts):
            services.submit_draft(actor=anonymous, draft=draft, idempotency_key=f"bench-{n}")
        value = count / (time.perf_counter() - start)
        version = form.published_version
        start = time.perf_counter()
        for _ in range(count):
            with transaction.atomic():
                Draft.objects.create(version=version, expires_at="2099-01-01T00:00:00Z")
        baseline = count / (time.perf_counter() - start)
    return value, "submissions/s", baseline


BENCHMARKS = {
    "form_validate_100_fields_ms": form_validate_100_fields_ms,
    "form_submit_rps": form_submit_rps,
}


def _with_test_database(run):
    """A throw-away test database with the test tenants (as the test suite makes it)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portalwerk.platform.settings_test")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from portalwerk.tenants import services

    setup_test_environment()
    settings.MEDIA_ROOT = settings.PORTALWERK_HOME / "bench-media"
    config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        services.ensure_platform_tenant()
        services.create_tenant(
            actor="bench",
            data=services.NewTenant(
                name="Stadt Alpha", slug="alpha", kind="municipality", official_key="05998004"
            ),
        )
        return run()
    finally:
        from django.db import connection

        connection.set_schema_to_public()
        teardown_databases(config, verbosity=0)


def main(names: list[str]) -> int:
    def run():
        for name in names or list(BENCHMARKS):
            value, unit, baseline = BENCHMARKS[name]()
            ratio = value / baseline if baseline else float("nan")
            print(f"{name}: {value:.2f} {unit} (baseline {baseline:.2f}, ratio {ratio:.2f})")
        return 0

    return _with_test_database(run)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
