"""The PDF receipt: language, title and headings a screen reader can use, every answer."""

import io

from django_tenants.utils import schema_context
from pypdf import PdfReader

from portalwerk.platform.authz.actors import anonymous
from portalwerk.platform.forms import services
from portalwerk.platform.forms.receipts import render_receipt
from tests.helpers.forms import png


def test_the_receipt_carries_language_title_and_an_outline_of_the_steps(published_form, tenant_a):
    with schema_context(tenant_a.schema_name):
        draft = services.start_draft(actor=anonymous(), form=published_form)
        for step, raw in [
            ("person", {"first_name": "Jörg", "last_name": "Weiß", "email": "j@example.com"}),
            ("dog", {"has_dog": "yes", "dog_name": "Bello"}),
        ]:
            services.save_step(actor=anonymous(), draft=draft, step_key=step, raw=raw)
        upload = services.store_upload(
            actor=anonymous(), draft=draft, field_key="photo", file=png()
        )
        services.save_step(
            actor=anonymous(), draft=draft, step_key="documents", raw={"photo": str(upload.pk)}
        )
        services.save_step(actor=anonymous(), draft=draft, step_key="confirm", raw={"truth": True})
        submission = services.submit_draft(actor=anonymous(), draft=draft)
        pdf = render_receipt(submission, tenant_name="Stadt Alpha", lang="de")
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert reader.metadata.title == f"Eingangsbestätigung {submission.reference} – Hundeanmeldung"
    assert b"/DisplayDocTitle true" in pdf and b"/PageMode /UseOutlines" in pdf
    assert [o.title for o in reader.outline if not isinstance(o, list)] == ["Hundeanmeldung"]
    assert [o.title for o in reader.outline[1]] == [
        "Angaben zur Person",
        "Hund",
        "Nachweise",
        "Erklärung",
    ]
