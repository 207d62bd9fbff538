"""What the simulated citizens do (locust users). Each user keeps to one tenant, since all
tenants are reached on one address and a session cookie belongs to its host.

- `Applicant`, on the district's portal: catalogue → service page → start the volunteer card
  form (anonymous, no fee, no upload) → fill its five steps → check → submit, then a search and
  the free appointment times of a service.
- `Visitor`, on a member municipality's portal: service pages, a search, appointment times.

A page that does not show what it should (the next step, the reference number, times to choose)
counts as a failure, as does any HTTP error.
"""

from __future__ import annotations

import html
import random
import re
import uuid

from locust import HttpUser, between, task

DISTRICT_HOST = "musterland.localhost"
MEMBER_HOST = "musterstadt.localhost"
FORM = "volunteer-card"
SERVICE = "ehrenamtskarte"
STEP = re.compile(r"/forms/volunteer-card/[0-9a-f-]{36}/([a-z_]+)/")
SERVICE_INPUT = re.compile(r'<input type="hidden" name="service" value="(\d+)">')
OFFICE_INPUT = re.compile(r'<input type="radio" name="office" value="(\d+)"')
DAY_LINK = re.compile(r'href="(/appointments/times/\?[^"]*date=[^"]*)"')

ANSWERS = {
    "person": {"first_name": "Erika", "last_name": "Musterfrau", "date_of_birth": "01.01.1980"},
    "address": {
        "home.street": "Lindenallee",
        "home.house_number": "7",
        "home.postcode": "12345",
        "home.city": "Musterland",
    },
    "contact": {"email": "erika@example.org"},
    "engagement": {
        "organisations-count": "1",
        "organisations.0.name": "Freiwillige Feuerwehr",
        "organisations.0.hours_per_week": "6",
        "organisations.0.board_member": "no",
    },
    "declaration": {"truthful": "yes"},
}


class Citizen(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    tenant_host = ""

    def on_start(self) -> None:
        self.client.headers.update({"Host": self.tenant_host, "Accept-Language": "de"})

    def page(self, path: str, name: str, expect: str) -> str:
        with self.client.get(path, name=name, catch_response=True) as response:
            text = response.text
            if response.status_code == 200 and expect not in text:
                response.failure(f"{name}: the page lacks {expect!r}")
            return text

    def post(self, path: str, data: dict, name: str):
        token = self.client.cookies.get("csrftoken", "")
        return self.client.post(
            path, data=data, headers={"X-CSRFToken": token}, name=name, catch_response=True
        )

    def appointment_times(self, service: str) -> None:
        """The catalogue's appointment link, the first office offered, its days, one day's
        times (what a citizen reads before booking)."""
        offices = self.page(f"/appointments/{service}/", "appointments: office", 'name="office"')
        chosen = SERVICE_INPUT.findall(offices)
        office = OFFICE_INPUT.search(offices)
        if not chosen or not office:
            return
        query = "&".join([*(f"service={pk}" for pk in chosen), f"office={office.group(1)}"])
        days = self.page(f"/appointments/days/?{query}", "appointments: days", "date=")
        found = DAY_LINK.findall(days)
        if found:
            self.page(html.unescape(random.choice(found)), "appointments: times", 'name="start"')


class Applicant(Citizen):
    tenant_host = DISTRICT_HOST
    weight = 1

    @task
    def apply(self) -> None:
        self.page("/services/", "catalogue", f"/services/{SERVICE}/")
        self.page(f"/services/{SERVICE}/", "service page", f"/forms/{FORM}/")
        self.page(f"/forms/{FORM}/", "form: start page", "csrfmiddlewaretoken")
        with self.post(f"/forms/{FORM}/", {}, "form: start") as response:
            match = STEP.search(response.url)
            if not match:
                response.failure(f"no first step after starting: {response.url}")
                return
        base = response.url.split("/forms/")[0] + match.group(0).rsplit("/", 2)[0]
        step = match.group(1)
        for _ in range(len(ANSWERS)):
            with self.post(f"{base}/{step}/", ANSWERS.get(step, {}), f"form: {step}") as response:
                following = STEP.search(response.url)
                if response.url.rstrip("/").endswith("/check"):
                    break
                if not following or following.group(1) == step:
                    response.failure(f"step {step} was not accepted ({response.status_code})")
                    return
                step = following.group(1)
        with self.post(
            f"{base}/check/", {"idempotency_key": uuid.uuid4().hex}, "form: submit"
        ) as response:
            if "/forms/done/" not in response.url:
                response.failure(f"submitting led to {response.url}, not to the receipt page")
                return
        self.page("/search/?q=Ehrenamt", "search", f"/services/{SERVICE}/")
        self.appointment_times("kfz-zulassung")


class Visitor(Citizen):
    tenant_host = MEMBER_HOST
    weight = 2

    @task(3)
    def service_page(self) -> None:
        slug = random.choice(["wohnsitz-anmelden", "personalausweis", "hundesteuer-anmelden"])
        self.page(f"/services/{slug}/", "service page", "<h1")

    @task(2)
    def search(self) -> None:
        term = random.choice(["Hundesteuer", "Ausweis", "Anmeldung", "Ehrenamt"])
        self.page(f"/search/?q={term}", "search", "<h1")

    @task(1)
    def appointments(self) -> None:
        self.appointment_times("wohnsitz-anmelden")
