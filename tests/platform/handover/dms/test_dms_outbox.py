"""A citizen's submission reaches the DMS folder through the outbox: the deliver job builds the
xdomea message from the stored submission, with its receipt and upload as submitted."""

from __future__ import annotations

from django_tenants.utils import schema_context

from portalwerk.platform.authz.actors import anonymous
from portalwerk.platform.forms import services
from portalwerk.platform.handover.models import Delivery, DeliveryStatus, Target
from tests.helpers.dms import XDOMEA, dms_config, open_package
from tests.helpers.forms import PERSON_STEP, PNG, png, publish_form, run_jobs

DEFINITION = {
    "steps": [
        PERSON_STEP,
        {
            "key": "documents",
            "title": {"de": "Nachweise", "en": "Documents"},
            "fields": [
                {
                    "key": "photo",
                    "type": "file",
                    "required": True,
                    "label": {"de": "Passbild", "en": "Photo"},
                    "validation": {"file_types": ["png", "jpeg"], "max_size": 1000000},
                },
            ],
        },
    ],
}


def test_a_submission_is_filed_in_the_dms_folder_by_the_deliver_job(
    tenant_a, clerk, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTALWERK_HANDOVER_DMS_FOLDER_ROOT = tmp_path / "dms"
    with schema_context(tenant_a.schema_name):
        form = publish_form(
            clerk, "fishing-licence", {"de": "Fischereischein", "en": "Fishing licence"}, DEFINITION
        )
        Target.objects.create(
            name="DMS",
            backend="dms",
            config=dms_config(destination="folder", url="", folder="eingang"),
            all_forms=True,
        )
        draft = services.start_draft(actor=anonymous(), form=form)
        services.save_step(
            actor=anonymous(),
            draft=draft,
            step_key="person",
            raw={"first_name": "Jörg", "last_name": "Weiß", "email": "j@example.com"},
        )
        upload = services.store_upload(
            actor=anonymous(), draft=draft, field_key="photo", file=png("passbild.png")
        )
        services.save_step(
            actor=anonymous(), draft=draft, step_key="documents", raw={"photo": str(upload.pk)}
        )
        submission = services.submit_draft(actor=anonymous(), draft=draft)

        run_jobs("deliver")

        delivery = Delivery.objects.get(submission=submission)
        receipt_pdf = bytes(submission.receipt.pdf)
    assert delivery.status == DeliveryStatus.DELIVERED
    folder = tmp_path / "dms" / tenant_a.schema_name / "eingang"
    (package,) = folder.iterdir()
    assert delivery.receiver_reference == str(package)
    message, files = open_package(package)
    assert (
        message.findtext("x:SchriftgutobjektZumAblegen/x:FachverfahrenObjektID", namespaces=XDOMEA)
        == submission.reference
    )
    assert receipt_pdf.startswith(b"%PDF") and receipt_pdf in files.values()
    assert PNG in files.values()
    assert message.findtext("x:Kopf/x:Absender/x:Institution/x:Name", namespaces=XDOMEA) == (
        tenant_a.name
    )
