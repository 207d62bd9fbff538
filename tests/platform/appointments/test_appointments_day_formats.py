"""The day view in the workspace: a day typed as TT.MM.JJJJ (or ISO from a link), a wrong one
said next to its field, dates and times in German formats in both languages, booking on behalf
that keeps what was typed when it fails."""

from __future__ import annotations

import datetime as dt

import pytest

from portalwerk.platform.appointments import schedule
from portalwerk.platform.appointments.models import Appointment
from tests.platform.appointments.test_appointments_backoffice import (
    DAY_VIEW,
    book,
    next_workday,
    signed_in,
)


@pytest.fixture
def day():
    return next_workday()


def test_a_day_typed_in_german_format_shows_that_day_in_both_languages(
    setup, clerk, client_for, tenant_a, day
):
    book(setup, clerk, day, "10:00", "Anna Alpha")
    client = signed_in(client_for, tenant_a, clerk.email)
    for language in ("de", "en"):
        page = client.get(
            DAY_VIEW,
            {"office": setup.office.pk, "date": f"{day:%d.%m.%Y}"},
            HTTP_ACCEPT_LANGUAGE=language,
        ).content.decode()
        assert "Anna Alpha" in page and "10:00–10:10" in page
        assert f'value="{day:%d.%m.%Y}"' in page and f", {day:%d.%m.%Y} (" in page
        assert 'type="date"' not in page and 'type="time"' not in page
        # the days around it, as links in the same format
        previous = day - dt.timedelta(days=1)
        assert f"date={previous:%d.%m.%Y}" in page
    hint = client.get(DAY_VIEW, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Als TT.MM.JJJJ, zum Beispiel 24.12.2026" in hint


def test_a_day_that_is_no_date_is_said_next_to_its_field(setup, clerk, client_for, tenant_a):
    client = signed_in(client_for, tenant_a, clerk.email)
    page = client.get(
        DAY_VIEW, {"office": setup.office.pk, "date": "31.02.2027"}, HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert '<a href="#date">Geben Sie den Tag als TT.MM.JJJJ ein' in page
    assert 'value="31.02.2027"' in page and 'aria-invalid="true"' in page


def test_booking_that_fails_keeps_what_the_clerk_typed(setup, clerk, client_for, tenant_a, day):
    client = signed_in(client_for, tenant_a, clerk.email)
    response = client.post(
        f"{DAY_VIEW}book/?office={setup.office.pk}&date={day:%d.%m.%Y}",
        {"services": [setup.id_card.pk], "start": "25:99", "name": "Phone Caller"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_start">' in page and 'value="25:99"' in page
    assert 'value="Phone Caller"' in page
    assert not Appointment.objects.filter(name="Phone Caller").exists()
    # corrected, it is booked on that day
    done = client.post(
        f"{DAY_VIEW}book/?office={setup.office.pk}&date={day:%d.%m.%Y}",
        {"services": [setup.id_card.pk], "start": "10:00", "name": "Phone Caller"},
        follow=True,
    )
    booked = Appointment.objects.get(name="Phone Caller")
    local = booked.starts_at.astimezone(schedule.tz())
    assert (local.date(), f"{local:%H:%M}") == (day, "10:00")
    assert 'role="status" tabindex="-1" autofocus' in done.content.decode()
