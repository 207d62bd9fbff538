"""A form anyone can submit cannot mail a stranger's address without end: past the address's
mail allowance a submission is still made (its receipt is on the confirmation page), only the
receipt mail is left out."""

from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import anonymous
from portalwerk.platform.forms import services
from portalwerk.platform.mail import limits as mail_limits
from tests.helpers.forms import FEE_ANSWERS, FEE_DEFINITION, FISHING_LICENCE, jobs, publish_form


def test_receipt_mails_to_one_address_stop_at_its_allowance(tenant_a, clerk):
    allowance = mail_limits.allowance("per_recipient_per_hour")
    with schema_context(tenant_a.schema_name):
        form = publish_form(clerk, "fishing", FISHING_LICENCE, FEE_DEFINITION)
        # given more submissions naming one address than it may be mailed, from several clients
        made = []
        for n in range(allowance + 2):
            draft = services.start_draft(actor=anonymous(), form=form)
            for step, raw in FEE_ANSWERS.items():
                draft = services.save_step(actor=anonymous(), draft=draft, step_key=step, raw=raw)
            made.append(
                services.submit_draft(actor=anonymous(), draft=draft, client_ip=f"10.4.{n}.1")
            )
        # then every submission is made, and the address gets the allowance of receipts
        assert len({submission.reference for submission in made}) == allowance + 2
        assert len(jobs("send_submission_receipt")) == allowance
