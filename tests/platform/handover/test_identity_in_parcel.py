"""The hand-over says how the applicant signed in (issue 14): the webhook receiver finds the
submission's `identity` (provider, level of assurance, kind, organisation, verified answers)
under `applicant`, in the documented schema."""

from __future__ import annotations

from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import anonymous
from portalwerk.platform.forms import services
from portalwerk.platform.forms.models import Submission
from tests.helpers.forms import run_jobs
from tests.helpers.signed_in import BUSINESS
from tests.platform.handover.schema_check import errors
from tests.platform.handover.webhook_helpers import PERSON, submit_photo_form, webhook_target

DELIVER = "handover.tasks.deliver"


def test_the_receiver_learns_how_the_applicant_signed_in(tenant_a, photo_form, receiver):
    with schema_context(tenant_a.schema_name):
        webhook_target(receiver.url, files="links")
        # a business signed in through its ELSTER-style account submits
        draft = services.start_draft(actor=anonymous(), form=photo_form, signed_in_with=BUSINESS)
        services.save_step(
            actor=anonymous(), draft=draft, step_key="person", raw=PERSON, signed_in_with=BUSINESS
        )
        services.save_step(
            actor=anonymous(), draft=draft, step_key="documents", raw={}, signed_in_with=BUSINESS
        )
        submission = services.submit_draft(actor=anonymous(), draft=draft, signed_in_with=BUSINESS)
        assert run_jobs(DELIVER) == ["delivered"]
    [parcel] = receiver.held.values()
    assert errors(parcel) == []
    assert parcel["reference"] == submission.reference
    assert parcel["applicant"]["identity"] == {
        "provider": "elster",
        "level": "substantial",
        "kind": "business",
        "organisation": BUSINESS.organisation,
        "verified": [],
    }


def test_a_submission_made_before_identities_were_recorded_hands_over_an_empty_one(
    tenant_a, photo_form, receiver
):
    with schema_context(tenant_a.schema_name):
        webhook_target(receiver.url, files="links")
        submission = submit_photo_form(photo_form, photo=False)
        Submission.objects.filter(pk=submission.pk).update(identity={})
        assert run_jobs(DELIVER) == ["delivered"]
    [parcel] = receiver.held.values()
    assert errors(parcel) == [] and parcel["applicant"]["identity"] == {}
