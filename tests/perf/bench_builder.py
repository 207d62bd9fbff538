"""The form builder: `builder_save_round_trip` (`make bench`, or
`python -m tests.perf --only builder`).

One change made in the builder as a clerk's browser makes it: POST a question's page (the
service locks the version, changes a copy, has the engine check the whole definition, saves it
and writes the audit entry), then GET the builder page it returns to. Baseline in the same run:
the plain JSON save, the expert view's POST of the same definition and the GET of its page.
Both on a form of 40 questions in 8 steps with conditions; the figure is the ratio (target:
close to 1, the builder's extra work being the reading back of the definition in words).
"""

from __future__ import annotations

import json
import statistics
import time

from .registry import Run, bench

SLUG = "alpha"
EMAIL = "bench-builder@alpha.example"
PASSWORD = "Bench-Baukasten-2026!"


def _definition() -> dict:
    steps = []
    for s in range(8):
        fields = []
        for n in range(5):
            key = f"q{s}_{n}"
            field = {
                "key": key,
                "type": "text",
                "label": {"de": f"Frage {s}.{n}", "en": f"Q {s}.{n}"},
            }
            if n == 0:
                field["type"] = "yesno"
            else:
                field["show_if"] = {"==": [{"var": f"q{s}_0"}, True]}
            fields.append(field)
        steps.append({"key": f"step_{s}", "title": {"de": f"Schritt {s}"}, "fields": fields})
    return {"steps": steps, "fee": {"amount": 1500}}


def _prepare():
    from django_tenants.utils import schema_context

    from portalwerk.platform.accounts.models import Role, User
    from portalwerk.platform.authz.actors import from_user, system
    from portalwerk.platform.forms import services as forms
    from portalwerk.platform.forms.models import Form
    from portalwerk.tenants import services
    from portalwerk.tenants.models import Tenant

    tenant = Tenant.objects.filter(slug=SLUG).first() or services.create_tenant(
        actor=system("bench"),
        data=services.NewTenant(name="Bench Alpha", slug=SLUG, kind="municipality"),
    )
    with schema_context(tenant.schema_name):
        clerk = User.objects.filter(email=EMAIL).first() or User.objects.create_user(
            EMAIL, PASSWORD, role=Role.CLERK_PROCESSOR
        )
        Form.objects.filter(slug="bench-builder").delete()
        form = forms.create_form(
            actor=from_user(clerk),
            slug="bench-builder",
            title={"de": "Baukasten"},
            definition=_definition(),
        )
        return services.tenant_host(SLUG), form.pk


def _median_ms(fn, repeat: int) -> float:
    fn(-1)
    samples = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


@bench("builder")
def builder_save_round_trip(run: Run) -> None:
    """A change saved in the form builder and its page shown again, against the JSON save."""
    from django.test import Client

    host, form_id = _prepare()
    client = Client(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="de")
    client.post("/accounts/sign-in/", {"email": EMAIL, "password": PASSWORD})
    base = f"/backoffice/forms/{form_id}/versions/1/builder/"
    repeat = 20 if run.quick else 100

    def builder(i: int) -> None:
        response = client.post(
            f"{base}fields/q3_2/", {"label_de": f"Frage {i}", "label_en": "Q", "key": "q3_2"}
        )
        if response.status_code != 302:
            raise RuntimeError(f"the builder refused the change: {response.status_code}")
        if client.get(response["Location"]).status_code != 200:
            raise RuntimeError("the builder page did not come back")

    definition = _definition()

    def plain_json(i: int) -> None:
        definition["steps"][3]["fields"][2]["label"]["de"] = f"Frage {i}"
        response = client.post(f"{base}expert/", {"definition": json.dumps(definition)})
        if response.status_code != 302:
            raise RuntimeError(f"the JSON save was refused: {response.status_code}")
        if client.get(response["Location"]).status_code != 200:
            raise RuntimeError("the expert view did not come back")

    value = _median_ms(builder, repeat)
    baseline = _median_ms(plain_json, repeat)
    run.figure("builder_save_round_trip_ms", value)
    run.figure("builder_save_baseline_json_ms", baseline)
    run.figure("builder_save_round_trip_ratio", value / baseline)
