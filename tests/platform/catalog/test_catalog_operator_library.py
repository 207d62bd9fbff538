"""Operators keep the shared template library in the operator console on the base host."""

from portalwerk.platform.library.models import ServiceTemplate


def template_form(**overrides):
    data = {
        "key": "hundesteuer",
        "leika_key": "",
        "name_de": "Hundesteuer anmelden",
        "name_en": "",
        "summary_de": "Hunde sind steuerpflichtig.",
        "summary_en": "",
        "description_de": "",
        "description_en": "",
        "eligibility_de": "",
        "eligibility_en": "",
        "documents_de": "",
        "documents_en": "",
        "fee_kind": "free",
        "fee_amount_cents": "",
        "fee_note_de": "",
        "fee_note_en": "",
        "processing_time_de": "",
        "processing_time_en": "",
        "legal_basis_de": "",
        "legal_basis_en": "",
    }
    return {**data, **overrides}


def test_an_operator_edits_a_template_and_its_version_rises(operator, client_for):
    client = client_for("localhost")
    assert client.sign_in(operator.email).status_code == 302
    response = client.post("/admin/library/servicetemplate/add/", template_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    template = ServiceTemplate.objects.get(key="hundesteuer")
    assert template.version == 1
    url = f"/admin/library/servicetemplate/{template.pk}/change/"
    client.post(url, template_form())
    assert ServiceTemplate.objects.get(pk=template.pk).version == 1  # nothing changed
    client.post(url, template_form(summary_de="Neue Satzung."))
    assert ServiceTemplate.objects.get(pk=template.pk).version == 2


def test_an_invalid_leika_key_is_refused_in_the_console(operator, client_for):
    client = client_for("localhost")
    client.cookies["django_language"] = "en"
    client.sign_in(operator.email)
    response = client.post("/admin/library/servicetemplate/add/", template_form(leika_key="12345"))
    assert "14 digits and starts with 99" in response.content.decode()
    assert not ServiceTemplate.objects.exists()


def test_clerks_cannot_edit_the_library(clerk, client_for, tenant_a):
    client = client_for(tenant_a)
    client.sign_in(clerk.email)
    assert client.get("/admin/library/servicetemplate/").status_code == 404
