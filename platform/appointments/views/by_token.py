"""The pages the link in the mails opens: confirm a hold, see the appointment, download it as
a calendar file, cancel it or move it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portalwerk.platform.appointments import access, ics, limits, services
from portalwerk.platform.appointments.errors import Code, NotFound
from portalwerk.platform.appointments.models import (
    Appointment,
    Status,
)
from portalwerk.platform.appointments.views.shared import (
    Problem,
    _days_page,
    _is_limit,
    _limited,
    _parse_date,
    _parse_start,
    _search_limit,
    _times_page,
)
from portalwerk.platform.authz.actors import anonymous
from portalwerk.platform.client import client_ip


def _by_token(token: str, purpose: str = "manage") -> Appointment:
    try:
        return access.get_appointment_by_token(token, purpose=purpose)
    except NotFound:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    appointment = _by_token(token, "confirm")
    form = Problem()
    if request.method == "POST":
        try:
            appointment = services.confirm_appointment(actor=anonymous(), appointment=appointment)
        except ValidationError as exc:
            form = Problem(errors=exc.messages)
        else:
            messages.success(request, _("Your appointment is booked."))
            return redirect("appointments:manage", token=access.manage_token(appointment))
    elif appointment.status == Status.CONFIRMED:
        return redirect("appointments:manage", token=access.manage_token(appointment))
    return render(
        request,
        "appointments/confirm.html",
        {"appointment": appointment, "form": form},
        status=400 if form.errors else 200,
    )


def manage(request, token: str):
    appointment = _by_token(token)
    can_change = appointment.status == Status.CONFIRMED and appointment.starts_at > timezone.now()
    return render(
        request,
        "appointments/manage.html",
        {"appointment": appointment, "token": token, "can_change": can_change},
    )


def calendar_file(request, token: str):
    appointment = _by_token(token)
    url = request.build_absolute_uri(reverse("appointments:manage", args=[token]))
    response = HttpResponse(
        ics.calendar_for(appointment, host=request.get_host(), manage_url=url),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response


@require_http_methods(["GET", "POST"])
def cancel(request, token: str):
    appointment = _by_token(token)
    form = Problem()
    if request.method == "POST":
        try:
            services.cancel_appointment(actor=anonymous(), appointment=appointment)
        except ValidationError as exc:
            form = Problem(errors=exc.messages)
        else:
            messages.success(request, _("Your appointment has been cancelled."))
            return redirect("appointments:manage", token=token)
    return render(
        request,
        "appointments/cancel.html",
        {"appointment": appointment, "token": token, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def move(request, token: str):
    appointment = _by_token(token)
    if appointment.status != Status.CONFIRMED:
        return redirect("appointments:manage", token=token)
    chosen = [item.service for item in appointment.items.all()]
    office = appointment.office
    if getattr(office, "booking_policy", None) is None:  # the office no longer takes bookings
        return redirect("appointments:manage", token=token)
    here = reverse("appointments:move", args=[token])
    errors = []
    if request.method == "POST":
        starts_at = _parse_start(request.POST.get("start"))
        try:
            limits.check_booking(ip=client_ip(request, "unknown"), email=appointment.email)
            if starts_at is None:
                raise ValidationError(_("Choose a time."), code=Code.NOT_ON_GRID)
            services.reschedule_appointment(
                actor=anonymous(), appointment=appointment, starts_at=starts_at
            )
        except ValidationError as exc:
            if _is_limit(exc):
                return _limited(request, exc)
            errors = exc.messages
        else:
            messages.success(request, _("Your appointment has been moved."))
            return redirect("appointments:manage", token=token)
    limited = _search_limit(request)
    if limited:
        return limited
    day = _parse_date(request.POST.get("date") or request.GET.get("date"))
    if day is None:
        return _days_page(
            request,
            office,
            chosen,
            next_url=here,
            base_query="",
            back_url=reverse("appointments:manage", args=[token]),
            ignore=appointment.pk,
        )
    return _times_page(
        request,
        office,
        chosen,
        day,
        action=here,
        method="post",
        hidden=[("date", day.isoformat())],
        back_url=here,
        ignore=appointment.pk,
        errors=errors,
        status=400 if errors else 200,
    )
