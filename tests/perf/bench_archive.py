"""The tenant archive: `tenant_export_s` and `tenant_import_s` for a tenant with 1,000
submissions (each with an uploaded photo and its PDF receipt), against creating an empty
tenant (the clone of the template) in the same run: an import is that clone plus the rows and
files, so the ratio says what the data costs on top (`make bench`, or
`python -m tests.perf --only tenant_archive`)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from .registry import Run, bench, timed

SOURCE = "bench-archive"
DEFINITION = {
    "steps": [
        {
            "key": "person",
            "title": {"de": "Person", "en": "Person"},
            "fields": [
                {"key": "name", "type": "text", "required": True,
                 "label": {"de": "Name", "en": "Name"}},
                {"key": "email", "type": "email", "required": True,
                 "label": {"de": "E-Mail", "en": "Email"}},
                {"key": "photo", "type": "file", "required": True,
                 "label": {"de": "Foto", "en": "Photo"},
                 "validation": {"file_types": ["png"], "max_size": 100000}},
            ],
        }
    ]
}  # fmt: skip
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16


def _source(run: Run, submissions: int):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tenants.utils import schema_context

    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.authz.actors import anonymous, from_user, system
    from portalwerk.platform.forms import services as forms
    from portalwerk.tenants import services

    tenant = services.create_tenant(
        actor=system("bench"),
        data=services.NewTenant(name="Bench Archiv", slug=SOURCE, kind="municipality"),
    )
    start = time.perf_counter()
    with schema_context(tenant.schema_name):
        clerk = User.objects.create_user("bench@archive.example", role=Role.CLERK_PROCESSOR)
        form = forms.create_form(
            actor=from_user(clerk), slug="bench", title={"de": "Bench"}, definition=DEFINITION
        )
        forms.publish_version(actor=from_user(clerk), version=form.versions.get())
        for n in range(submissions):
            draft = forms.start_draft(actor=anonymous(), form=form)
            photo = SimpleUploadedFile(f"p{n}.png", PNG, content_type="image/png")
            upload = forms.store_upload(
                actor=anonymous(), draft=draft, field_key="photo", file=photo
            )
            raw = {"name": f"Person {n}", "email": f"p{n}@example.org", "photo": str(upload.pk)}
            forms.save_step(actor=anonymous(), draft=draft, step_key="person", raw=raw)
            forms.submit_draft(actor=anonymous(), draft=draft)
            if (n + 1) % 250 == 0:
                run.log(f"  {n + 1} submissions")
    run.figure("tenant_archive_fill_s", time.perf_counter() - start)
    return tenant


def _delete(slug: str) -> None:
    from portalwerk.platform.authz.actors import system
    from portalwerk.tenants import services

    services.delete_tenant(actor=system("bench"), slug=slug)


@bench("tenant_archive")
def tenant_archive(run: Run) -> None:
    """Export and import of a tenant with 1,000 submissions, against an empty tenant's clone."""
    from django.test import override_settings

    from portalwerk.platform.authz.actors import system
    from portalwerk.tenants import services
    from portalwerk.tenants.archive import export, importing

    submissions = 50 if run.quick else 1000
    repeat = 2 if run.quick else 3
    with tempfile.TemporaryDirectory() as folder, override_settings(MEDIA_ROOT=folder):
        tenant = _source(run, submissions)
        clones = []
        for i in range(repeat + 1):  # the first one warms up
            data = services.NewTenant(name="Leer", slug=f"bench-empty-{i}", kind="municipality")
            clones.append(
                timed(lambda d=data: services.create_tenant(actor=system("bench"), data=d))
            )
            _delete(data.slug)
        clone_s = statistics.median(clones[1:])
        archive = Path(folder) / "archive.zip"
        exports = [timed(lambda: export.write_archive(tenant, archive)) for _ in range(repeat)]
        export_s = statistics.median(exports)
        imports = []
        for i in range(repeat):
            slug = f"bench-import-{i}"
            imports.append(
                timed(
                    lambda s=slug: importing.import_archive(archive, actor=system("bench"), slug=s)
                )
            )
            _delete(slug)
        import_s = statistics.median(imports)
        run.figure("tenant_archive_submissions", submissions)
        run.figure("tenant_archive_bytes", archive.stat().st_size)
        run.figure("tenant_clone_empty_s", clone_s)
        run.figure("tenant_export_s", export_s)
        run.figure("tenant_import_s", import_s)
        run.figure("tenant_export_ratio", export_s / clone_s)
        run.figure("tenant_import_ratio", import_s / clone_s)
        _delete(SOURCE)
