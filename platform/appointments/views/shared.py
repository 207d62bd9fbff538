"""What the booking steps and the moving of an appointment share: the day and time pages,
the answers to rate limits, the query string the choices travel in, and the error-only form."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone

from portalwerk.platform.appointments import limits, schedule
from portalwerk.platform.appointments.errors import Code
from portalwerk.platform.catalog.models import Office
from portalwerk.platform.client import client_ip

DAYS_PER_PAGE = 28


def _user_email(request) -> str:
    user = request.user
    return user.email if user.is_authenticated else ""


class Problem(forms.Form):
    """A form that only carries errors, for the error summary on choice pages."""

    def __init__(self, *args, errors=(), **kwargs):
        super().__init__({}, *args, **kwargs)
        self.full_clean()
        for message in errors:
            self.add_error(None, message)


def _limited(request, exc: ValidationError):
    return render(request, "appointments/limited.html", {"message": exc.messages[0]}, status=429)


def _is_limit(exc: ValidationError) -> bool:
    return any(getattr(e, "code", None) == Code.RATE_LIMITED for e in exc.error_list)


def _search_limit(request):
    try:
        limits.check_search(ip=client_ip(request, "unknown"), email=_user_email(request))
    except ValidationError as exc:
        return _limited(request, exc)
    return None


def _query(services_, office=None, **extra) -> str:
    params = [("service", s.pk) for s in services_]
    if office is not None:
        params.append(("office", office.pk))
    params.extend((k, v) for k, v in extra.items() if v is not None)
    return urlencode(params)


def _duration(office: Office, chosen) -> int | None:
    need = schedule.need_for(office, [s.pk for s in chosen])
    return need.minutes if need else None


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _days_page(request, office, chosen, *, next_url, base_query, back_url, ignore=None):
    now = timezone.now()
    earliest, latest = schedule.office_window(office, now)
    first_day = earliest.astimezone(schedule.tz()).date()
    start_day = max(_parse_date(request.GET.get("from")) or first_day, first_day)
    end_day = min(start_day + dt.timedelta(days=DAYS_PER_PAGE - 1), latest)
    days = schedule.available_days(
        office, [s.pk for s in chosen], start_day, end_day, now=now, ignore_appointment_id=ignore
    )
    later = end_day + dt.timedelta(days=1) if end_day < latest else None
    earlier = start_day - dt.timedelta(days=DAYS_PER_PAGE) if start_day > first_day else None
    return render(
        request,
        "appointments/days.html",
        {
            "chosen": chosen,
            "office": office,
            "days": days,
            "start_day": start_day,
            "end_day": end_day,
            "next_url": next_url,
            "base_query": base_query,
            "later": later.isoformat() if later else None,
            "earlier": max(earlier, first_day).isoformat() if earlier else None,
            "back_url": back_url,
            "minutes": _duration(office, chosen),
        },
    )


def _times_page(
    request,
    office,
    chosen,
    day,
    *,
    action,
    method,
    hidden,
    back_url,
    ignore=None,
    errors=(),
    status=200,
):
    free = schedule.available_times(
        office, [s.pk for s in chosen], day, ignore_appointment_id=ignore
    )
    return render(
        request,
        "appointments/times.html",
        {
            "chosen": chosen,
            "office": office,
            "day": day,
            "times": [f.starts_at for f in free],
            "action": action,
            "method": method,
            "hidden": hidden,
            "back_url": back_url,
            "form": Problem(errors=errors),
            "minutes": _duration(office, chosen),
        },
        status=status,
    )


def _parse_start(value: str | None) -> dt.datetime | None:
    try:
        # a hand-typed "+01:00" arrives as " 01:00" in a query string
        parsed = dt.datetime.fromisoformat(value.replace(" ", "+")) if value else None
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=schedule.tz())
    return parsed
