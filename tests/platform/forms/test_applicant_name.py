"""The applicant's name the inbox shows and searches is taken from the name questions only: a
dog's name ("dog_name", or a builder's "name_des_hundes") is not part of the person's name."""

import re

from django_tenants.utils import schema_context

from portalwerk.platform.forms.models import Submission
from tests.platform.forms.test_citizen_flow import fill


def test_the_applicant_is_named_by_the_name_questions_not_by_the_dogs_name(
    client_for, published_form, tenant_a
):
    client = client_for(tenant_a)
    base = fill(client, published_form, dog=True)  # Anna Muster, with her dog Bello
    check = client.get(f"{base}/check/").content.decode()
    key = re.search(r'name="idempotency_key" value="(\w+)"', check).group(1)
    assert client.post(f"{base}/check/", {"idempotency_key": key}).status_code == 302

    with schema_context(tenant_a.schema_name):
        assert Submission.objects.get().applicant_name == "Anna Muster"
