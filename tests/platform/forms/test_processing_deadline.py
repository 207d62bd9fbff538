"""A form's processing deadline gives each submission the moment it becomes overdue."""

import datetime

from django_tenants.utils import schema_context

from portalwerk.platform.forms.models import Form
from tests.platform.forms.test_inbox import make_submission


def test_a_submission_is_due_the_forms_processing_days_after_it_arrived(published_form, tenant_a):
    without = make_submission(tenant_a, 1)
    with schema_context(tenant_a.schema_name):
        Form.objects.filter(pk=published_form.pk).update(processing_days=14)
    with_deadline = make_submission(tenant_a, 2)

    assert without.due_at is None
    assert with_deadline.due_at - with_deadline.submitted_at == datetime.timedelta(days=14)

    with schema_context(tenant_a.schema_name):
        Form.objects.filter(pk=published_form.pk).update(processing_days=30)
        with_deadline.refresh_from_db()
    # a later change of the deadline keeps the promise made to those who already applied
    assert with_deadline.due_at - with_deadline.submitted_at == datetime.timedelta(days=14)
