"""The forms mutations, one per file, gathered for the tenant schema."""

import strawberry

from portalwerk.graphql.forms.mutations.assign_submission import assign_submission
from portalwerk.graphql.forms.mutations.change_submission_status import change_submission_status
from portalwerk.graphql.forms.mutations.export_submissions import export_submissions
from portalwerk.graphql.forms.mutations.resume_draft import resume_draft
from portalwerk.graphql.forms.mutations.save_step import save_step
from portalwerk.graphql.forms.mutations.send_message import send_message
from portalwerk.graphql.forms.mutations.start_form import start_form
from portalwerk.graphql.forms.mutations.submit_form import submit_form
from portalwerk.graphql.forms.mutations.upload_file import upload_file


@strawberry.type
class FormsMutation:
    start_form = start_form
    save_step = save_step
    upload_file = upload_file
    submit_form = submit_form
    resume_draft = resume_draft
    change_submission_status = change_submission_status
    send_message = send_message
    assign_submission = assign_submission
    export_submissions = export_submissions
