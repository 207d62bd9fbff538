"""Writes on forms: building and publishing definitions, drafts, uploads, submitting.

Every function takes the typed actor explicitly (`actor`, a `portalwerk.platform.authz` Actor;
the anonymous actor for a citizen who is not signed in), runs in one transaction and raises
ValidationError with a `FormErrorCode`.

The writes live in `publishing` (clerks build and publish forms), `drafts` (citizens answer step by
step and resume later), `files` (uploads), `submitting` (a draft becomes a submission), `links`
(access links for applicants without an account), `claiming` (those submissions joining an
account), with the checks they share in `checks`. They are re-exported here because callers
use the module as a whole (`services.save_step(...)`, `services.publish_version(...)`) and
billing imports `reference_prefix` from this path; importing from the submodules works as well."""

from portalwerk.platform.forms.services.checks import check_definition, field_errors
from portalwerk.platform.forms.services.claiming import claim_submissions, claimable_submissions
from portalwerk.platform.forms.services.drafts import (
    keep_step_answers,
    resume_draft,
    save_step,
    send_resume_link,
    start_draft,
    step_is_available,
    upload_lookup,
)
from portalwerk.platform.forms.services.files import store_upload
from portalwerk.platform.forms.services.links import (
    open_submission_link,
    request_submission_link,
    revoke_submission_links,
)
from portalwerk.platform.forms.services.publishing import (
    adopt_template,
    create_form,
    new_draft_version,
    publish_version,
    save_version_definition,
    template_update_available,
    update_from_template,
    withdraw_form,
)
from portalwerk.platform.forms.services.submitting import (
    earlier_submission,
    next_reference,
    reference_prefix,
    submit_draft,
)

__all__ = [
    "adopt_template",
    "check_definition",
    "claim_submissions",
    "claimable_submissions",
    "create_form",
    "earlier_submission",
    "field_errors",
    "keep_step_answers",
    "new_draft_version",
    "next_reference",
    "open_submission_link",
    "publish_version",
    "reference_prefix",
    "request_submission_link",
    "resume_draft",
    "revoke_submission_links",
    "save_step",
    "save_version_definition",
    "send_resume_link",
    "start_draft",
    "step_is_available",
    "store_upload",
    "submit_draft",
    "template_update_available",
    "update_from_template",
    "upload_lookup",
    "withdraw_form",
]
