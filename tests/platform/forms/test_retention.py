"""Retention: old submissions and their files are deleted or anonymised, and that is recorded."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context
from test_citizen_flow import fill

from portalwerk.platform.audit.models import Entry
from portalwerk.platform.casework.tasks import purge_expired_submissions
from portalwerk.platform.forms import uploads as upload_store
from portalwerk.platform.forms.models import Draft, PurgeRecord, Submission, Upload
from portalwerk.platform.jobs import defer_for_tenant
from tests.helpers.forms import run_jobs


def submit(client, published_form):
    base = fill(client, published_form)
    client.post(f"{base}/check/", {"idempotency_key": base})


def age(days):
    Submission.objects.update(submitted_at=timezone.now() - timedelta(days=days))


def test_the_purge_job_deletes_old_submissions_and_their_files(
    client_for, published_form, tenant_a, django_capture_on_commit_callbacks
):
    submit(client_for(tenant_a), published_form)
    with schema_context(tenant_a.schema_name):
        upload = Upload.objects.get()
        assert upload_store.storage().exists(upload.stored_name)
        reference = Submission.objects.get().reference
        age(364)
        with django_capture_on_commit_callbacks(execute=True):
            defer_for_tenant(purge_expired_submissions)
            run_jobs("purge_expired_submissions")
        assert Submission.objects.count() == 1  # not old enough yet
        age(366)
        with django_capture_on_commit_callbacks(execute=True):
            defer_for_tenant(purge_expired_submissions)
            [report] = run_jobs("purge_expired_submissions")
        assert report["dog-licence"] == 1
        assert Submission.objects.count() == 0 and Upload.objects.count() == 0
        assert not upload_store.storage().exists(upload.stored_name)
        record = PurgeRecord.objects.get()
        assert (record.count, record.files, record.action) == (1, 1, "delete")
        assert record.references == [reference]
        purged = Entry.objects.get(action="submission.purged")
        assert (purged.object_type, purged.object_id) == ("submission", reference)


def test_the_purge_job_can_anonymise_instead(client_for, published_form, tenant_a):
    submit(client_for(tenant_a), published_form)
    with schema_context(tenant_a.schema_name):
        published_form.retention_action = "anonymise"
        published_form.retention_days = 30
        published_form.save()
        age(31)
        defer_for_tenant(purge_expired_submissions)
        run_jobs("purge_expired_submissions")
        submission = Submission.objects.get()
        assert submission.answers == {} and submission.email == ""
        assert submission.anonymised_at is not None
        assert Upload.objects.count() == 0
        assert PurgeRecord.objects.get().action == "anonymise"


def test_expired_drafts_are_purged(client_for, published_form, tenant_a):
    client_for(tenant_a).post("/forms/dog-licence/")
    with schema_context(tenant_a.schema_name):
        Draft.objects.update(expires_at=timezone.now() - timedelta(days=1))
        defer_for_tenant(purge_expired_submissions)
        [report] = run_jobs("purge_expired_submissions")
        assert report["drafts"] == 1 and not Draft.objects.exists()
