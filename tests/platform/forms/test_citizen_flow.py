"""The citizen's way through a form on the tenant host: steps, check answers, submit, receipt."""

import re

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from portalwerk.platform.accounts.models import User
from portalwerk.platform.authz.actors import from_user
from portalwerk.platform.forms import services
from portalwerk.platform.forms.models import Draft, Submission, Upload
from tests.helpers.forms import PDF, png, run_jobs

PASSWORD = "Test-Passwort-2026!"
REFERENCE = re.compile(r"^ALP-\d{4}-\d{6}$")


def start(client, slug="dog-licence"):
    response = client.post(f"/forms/{slug}/")
    assert response.status_code == 302
    return response["Location"]  # /forms/<slug>/<draft>/<first step>/


def fill(client, published_form, dog=True):
    url = start(client)
    base = url.rsplit("/", 2)[0]
    r = client.post(url, {"first_name": "Anna", "last_name": "Muster", "email": "anna@example.com"})
    assert r.status_code == 302, r.content.decode()[:2000]
    r = client.post(f"{base}/dog/", {"has_dog": "yes" if dog else "no", "dog_name": "Bello"})
    assert r.status_code == 302
    if dog:
        r = client.post(f"{base}/documents/", {"photo": png()})
        assert r.status_code == 302, r.content.decode()[:3000]
    r = client.post(f"{base}/confirm/", {"truth": "yes"})
    assert r["Location"] == f"{base}/check/"
    return base


def test_an_anonymous_citizen_submits_and_gets_reference_receipt_and_mail(
    client_for, published_form, tenant_a
):
    client = client_for(tenant_a)
    # given the start page
    page = client.get("/forms/dog-licence/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    # when the citizen answers every step
    base = fill(client, published_form)
    # then the check page lists the answers with change links and the computed fee
    check = client.get(f"{base}/check/").content.decode()
    assert "Bello" in check and "Anna" in check and "photo.png" in check
    assert f'href="{base}/person/?return=check#f-first_name"' in check
    assert "30,00 €" in check
    key = re.search(r'name="idempotency_key" value="(\w+)"', check).group(1)
    # when they submit
    done = client.post(f"{base}/check/", {"idempotency_key": key})
    assert done.status_code == 302
    reference = done["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert REFERENCE.match(reference)
    confirmation = client.get(done["Location"]).content.decode()
    assert reference in confirmation
    # then the receipt is a PDF for them alone
    receipt = client.get(f"/forms/done/{reference}/receipt.pdf")
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")
    assert client_for(tenant_a).get(f"/forms/done/{reference}/receipt.pdf").status_code == 404
    # and the confirmation mail carries the PDF
    with schema_context(tenant_a.schema_name):
        mail.outbox.clear()
        run_jobs("send_submission_receipt")
        submission = Submission.objects.get(reference=reference)
        assert submission.fee_cents == 3000
        assert submission.answers["dog_name"] == "Bello"
        assert Upload.objects.get(submission=submission).kind == "png"
        assert not Draft.objects.exists()
    assert mail.outbox[0].to == ["anna@example.com"]
    name, content, kind = mail.outbox[0].attachments[0]
    assert name == f"{reference}.pdf" and content.startswith(b"%PDF") and kind == "application/pdf"


def test_errors_are_summarised_and_linked_to_their_fields(client_for, published_form, tenant_a):
    client = client_for(tenant_a)
    url = start(client)
    # when a step is sent empty
    response = client.post(url, {"first_name": "", "email": "nope"}, HTTP_ACCEPT_LANGUAGE="en")
    # then nothing is saved and the summary links each error to its field, same wording inline
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#f-first_name">Enter “First name”.</a>' in html
    assert 'id="f-first_name-error"' in html
    assert html.count("Enter “First name”.") == 2
    assert 'href="#f-email"' in html
    with schema_context(tenant_a.schema_name):
        assert Draft.objects.get().answers == {}


def test_a_skipped_step_is_not_asked_and_its_answers_are_dropped(
    client_for, published_form, tenant_a
):
    client = client_for(tenant_a)
    base = fill(client, published_form, dog=False)
    check = client.get(f"{base}/check/").content.decode()
    assert "Bello" not in check and "10,00 €" in check
    assert client.get(f"{base}/documents/").status_code == 404


def test_steps_cannot_be_answered_out_of_order(client_for, published_form, tenant_a):
    client = client_for(tenant_a)
    url = start(client)
    base = url.rsplit("/", 2)[0]
    # when the citizen jumps to the last step
    response = client.post(f"{base}/confirm/", {"truth": "yes"})
    # then they are sent back to the first open step and nothing was saved
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(f"{base}/check/")["Location"] == url
    with schema_context(tenant_a.schema_name):
        assert Draft.objects.get().completed_steps == []


def test_double_submit_makes_exactly_one_submission(client_for, published_form, tenant_a):
    client = client_for(tenant_a)
    base = fill(client, published_form)
    first = client.post(f"{base}/check/", {"idempotency_key": "k1"})
    second = client.post(f"{base}/check/", {"idempotency_key": "k1"})
    assert first["Location"] == second["Location"]
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.count() == 1


def test_a_withdrawn_form_refuses_drafts_in_progress_and_changes_nothing(
    client_for, published_form, tenant_a, clerk
):
    client = client_for(tenant_a)
    base = fill(client, published_form)
    with schema_context(tenant_a.schema_name):
        services.withdraw_form(actor=from_user(clerk), form=published_form)
    response = client.post(f"{base}/check/", {"idempotency_key": "k"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "taken offline" in response.content.decode()
    response = client.post(f"{base}/person/", {"first_name": "Eve"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.count() == 0
        assert Draft.objects.get().answers["first_name"] == "Anna"
    assert client.get("/forms/dog-licence/").status_code == 404


def test_a_new_version_does_not_disturb_drafts_in_progress(
    client_for, published_form, tenant_a, clerk
):
    client = client_for(tenant_a)
    base = fill(client, published_form)
    with schema_context(tenant_a.schema_name):
        v1 = published_form.versions.get()
        v2 = services.new_draft_version(actor=from_user(clerk), form=published_form)
        definition = dict(v2.definition)
        definition["steps"] = definition["steps"][:1] + definition["steps"][3:]
        definition["fee"] = {"amount": 500}
        services.save_version_definition(actor=from_user(clerk), version=v2, definition=definition)
        services.publish_version(actor=from_user(clerk), version=v2)
    response = client.post(f"{base}/check/", {"idempotency_key": "k"})
    assert response.status_code == 302
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.get().version == v1
        v1.refresh_from_db()
        assert v1.status == "superseded"
        # and a published version cannot be edited any more
        with pytest.raises(Exception) as caught:
            services.save_version_definition(
                actor=from_user(clerk), version=v1, definition=definition
            )
        assert caught.value.error_dict["definition"][0].code == "not_a_draft_version"


def test_uploads_are_sniffed_and_never_served_to_strangers(client_for, published_form, tenant_a):
    client = client_for(tenant_a)
    url = start(client)
    base = url.rsplit("/", 2)[0]
    client.post(url, {"first_name": "A", "last_name": "B", "email": "a@example.com"})
    client.post(f"{base}/dog/", {"has_dog": "yes", "dog_name": "Rex"})
    # a PDF named like a PNG, claimed by the browser as PNG, is refused
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.png", PDF, content_type="image/png")
    response = client.post(f"{base}/documents/", {"photo": fake}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "must be a JPEG, PNG" in response.content.decode()
    # an oversize file is refused
    big = SimpleUploadedFile("big.png", png().read() + b"\x00" * 1_000_001)
    assert client.post(f"{base}/documents/", {"photo": big}).status_code == 400
    with schema_context(tenant_a.schema_name):
        assert Upload.objects.count() == 0
    # a real PNG with a hostile name is kept under a random name
    hostile = png("../../etc/pass wd<script>.png")
    assert client.post(f"{base}/documents/", {"photo": hostile}).status_code == 302
    with schema_context(tenant_a.schema_name):
        upload = Upload.objects.get()
    assert upload.name == "pass wd_script.png"
    assert re.fullmatch(r"[0-9a-f]{32}", upload.stored_name)
    assert client.get(f"/files/{upload.pk}/").status_code == 200
    assert client_for(tenant_a).get(f"/files/{upload.pk}/").status_code == 404


def test_a_signed_in_citizen_finds_drafts_and_applications_other_citizens_do_not(
    client_for, published_form, tenant_a, citizen
):
    client = client_for(tenant_a)
    client.sign_in(citizen.email)
    base = fill(client, published_form)
    # another signed-in citizen cannot open the draft
    with schema_context(tenant_a.schema_name):
        other = User.objects.create_user("other@alpha.example", PASSWORD, role="citizen")
    stranger = client_for(tenant_a)
    stranger.sign_in(other.email)
    assert stranger.get(f"{base}/check/").status_code == 404
    done = client.post(f"{base}/check/", {"idempotency_key": "x"})
    reference = done["Location"].rstrip("/").rsplit("/", 1)[-1]
    listing = client.get("/my/applications/").content.decode()
    assert reference in listing
    assert stranger.get(f"/my/applications/{reference}/").status_code == 404
    assert reference not in stranger.get("/my/applications/").content.decode()
    # and the reply form reaches the office
    r = client.post(f"/my/applications/{reference}/", {"body": "Hier ist noch ein Foto."})
    assert r.status_code == 302
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.get().messages.get().from_office is False


def test_save_and_return_by_emailed_link_that_works_once(client_for, published_form, tenant_a):
    client = client_for(tenant_a)
    url = start(client)
    base = url.rsplit("/", 2)[0]
    r = client.post(
        url,
        {"first_name": "Anna", "last_name": "M", "email": "anna@example.com", "action": "save"},
    )
    assert r["Location"] == f"{base}/save/"
    r = client.post(f"{base}/save/", {"email": "anna@example.com"})
    assert "anna@example.com" in r.content.decode()
    with schema_context(tenant_a.schema_name):
        mail.outbox.clear()
        run_jobs("send_resume_mail")
    link = re.search(r"http://\S+/forms/resume/\S+/", mail.outbox[0].body).group(0)
    path = link.split("localhost", 1)[-1].split("/", 1)[-1]
    # another browser resumes at the first open step
    browser = client_for(tenant_a)
    resumed = browser.get("/" + path)
    assert resumed.status_code == 302 and resumed["Location"] == f"{base}/dog/"
    assert "Anna" in browser.get(f"{base}/person/").content.decode()
    # the link works once
    assert client_for(tenant_a).get("/" + path).status_code == 404


def test_an_expired_draft_is_gone(client_for, published_form, tenant_a):
    from datetime import timedelta

    from django.utils import timezone

    client = client_for(tenant_a)
    url = start(client)
    assert client.get(url).status_code == 200  # the draft's page, while it is kept
    with schema_context(tenant_a.schema_name):
        Draft.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 404


def test_another_tenant_never_sees_the_form_or_the_submission(
    client_for, published_form, tenant_a, tenant_b
):
    client = client_for(tenant_a)
    base = fill(client, published_form)
    done = client.post(f"{base}/check/", {"idempotency_key": "z"})
    reference = done["Location"].rstrip("/").rsplit("/", 1)[-1]
    with schema_context(tenant_a.schema_name):
        upload = Upload.objects.get()
    assert client.get(f"/files/{upload.pk}/").status_code == 200
    other = client_for(tenant_b)
    assert other.get(f"/files/{upload.pk}/").status_code == 404
    assert other.get("/forms/dog-licence/").status_code == 404
    assert other.get(f"/forms/done/{reference}/").status_code == 404
    assert other.get(base.replace("http://", "") + "/check/").status_code == 404


def test_add_another_works_without_javascript_and_items_keep_their_own_conditions(
    client_for, tenant_a, clerk, settings, tmp_path
):
    from portalwerk.platform.formlibrary.library import sync_library

    settings.MEDIA_ROOT = tmp_path
    sync_library()
    with schema_context(tenant_a.schema_name):
        services.adopt_template(actor=from_user(clerk), key="volunteer-card", publish=True)
    client = client_for(tenant_a)
    assert "volunteer-card" in client.get("/forms/").content.decode()
    url = start(client, "volunteer-card")
    base = url.rsplit("/", 2)[0]
    client.post(url, {"first_name": "A", "last_name": "B", "date_of_birth": "01.01.1980"})
    client.post(
        f"{base}/address/",
        {
            "home.street": "Weg",
            "home.house_number": "1",
            "home.postcode": "12345",
            "home.city": "X",
        },
    )
    client.post(f"{base}/contact/", {"email": "a@example.com"})
    page = f"{base}/engagement/"
    # when the citizen presses "Add" twice, typing in between
    r = client.post(page, {"organisations-count": "0", "action": "add:organisations"})
    assert 'name="organisations.0.name"' in r.content.decode()
    r = client.post(
        page,
        {
            "organisations-count": "1",
            "organisations.0.name": "Feuerwehr",
            "action": "add:organisations",
        },
    )
    html = r.content.decode()
    assert 'value="Feuerwehr"' in html and 'name="organisations.1.name"' in html
    # then each item is validated on its own: only the board member needs a role
    r = client.post(
        page,
        {
            "organisations-count": "2",
            "organisations.0.name": "Feuerwehr",
            "organisations.0.hours_per_week": "3",
            "organisations.0.board_member": "no",
            "organisations.1.name": "Sportverein",
            "organisations.1.hours_per_week": "2",
            "organisations.1.board_member": "yes",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 400
    assert 'href="#f-organisations-1-board_role"' in r.content.decode()
    # a tampered item count is bounded by the definition (max 5)
    r = client.post(page, {"organisations-count": "9999", "action": "add:organisations"})
    assert r.content.decode().count('name="organisations.') <= 5 * 4 + 5


def test_submitting_is_rate_limited_per_connection(client_for, published_form, tenant_a, settings):
    settings.PORTALWERK_FORM_RATE_LIMITS = {"start": 60, "submit": 1}
    client = client_for(tenant_a)
    base = fill(client, published_form)
    assert client.post(f"{base}/check/", {"idempotency_key": "a"}).status_code == 302
    second = fill(client, published_form)
    response = client.post(f"{second}/check/", {"idempotency_key": "b"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Too many applications" in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert Submission.objects.count() == 1
    settings.PORTALWERK_FORM_RATE_LIMITS = {"start": 0, "submit": 0}  # 0: no limit
    assert client.post(f"{second}/check/", {"idempotency_key": "b"}).status_code == 302


def test_a_body_larger_than_any_upload_is_refused_before_it_is_read(
    client_for, published_form, tenant_a, settings
):
    settings.PORTALWERK_UPLOAD_MAX_BYTES = 1000
    client = client_for(tenant_a)
    url = start(client)
    big = png("big.png")
    big.file.write(b"\0" * 1_100_000)
    big.file.seek(0)
    response = client.post(url, {"first_name": "A", "photo": big}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert Draft.objects.get().answers == {}
