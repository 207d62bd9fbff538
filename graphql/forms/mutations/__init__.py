"""The forms mutations, one per file, gathered for the tenant schema."""

import strawberry

from portalwerk.graphql.forms.mutations.resume_draft import resume_draft
from portalwerk.graphql.forms.mutations.save_step import save_step
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
