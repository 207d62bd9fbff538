"""The clerk's day view in the back office: the day's appointments per office and counter, arrival
and no-show, booking and cancelling on a citizen's behalf, closing the office for the day."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from portalwerk.platform import dates
from portalwerk.platform.appointments import access, schedule, services
from portalwerk.platform.appointments.errors import NotFound
from portalwerk.platform.appointments.models import Status
from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.catalog.models import Office


class BookForm(forms.Form):
    services = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Services"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    start = forms.TimeField(label=gettext_lazy("Time (HH:MM)"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("Email address (optional)"), required=False)
    phone = forms.CharField(label=gettext_lazy("Phone (optional)"), max_length=40, required=False)

    def __init__(self, office: Office, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from portalwerk.platform.appointments.models import BookableService

        self.fields["services"].queryset = BookableService.objects.filter(
            office_services__office=office, is_active=True
        ).order_by("name")


def parse_day(value: str) -> dt.date | None:
    """A day as clerks type it (TT.MM.JJJJ, also T.M.JJJJ) or as links carry it (ISO)."""
    return dates.parse_date(value)


def _office_and_day(request):
    offices = list(access.bookable_offices(include_inactive=True).order_by("name_de"))
    office = None
    if request.GET.get("office"):
        try:
            office = access.get_office(request.GET["office"], include_inactive=True)
        except NotFound:
            office = None
    if office is None and offices:
        office = offices[0]
    day = parse_day(request.GET.get("date", "")) or timezone.localdate()
    return offices, office, day


def day_view(request, *, book_form=None, errors=(), status=200):
    offices, office, day = _office_and_day(request)
    typed = request.GET.get("date", "")
    context = {
        **backoffice_site.each_context(request),
        "title": _("Appointments of the day"),
        "offices": offices,
        "office": office,
        "day": day,
        "typed_day": typed if typed and parse_day(typed) is None else "",
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "today": timezone.localdate(),
        "errors": list(errors),
    }
    if context["typed_day"]:
        message = _("Enter the day as DD.MM.YYYY, for example 24.12.2026.")
        context["day_error"] = message
        context["errors"].insert(0, {"href": "#date", "message": message})
    if office is not None:
        appointments = list(services.view_day(actor=request.actor, office=office, day=day))
        now = timezone.now()
        for appointment in appointments:
            appointment.markable = services.can_mark_attendance(appointment, now)
        counters = list(office.counters.order_by("name"))
        by_counter = {c.pk: [] for c in counters}
        for appointment in appointments:
            by_counter.setdefault(appointment.counter_id, []).append(appointment)
        context["counters"] = [(c, by_counter.get(c.pk, [])) for c in counters]
        context["total"] = len([a for a in appointments if a.status != Status.CANCELLED])
        if book_form is not None:
            chosen = [s.pk for s in book_form.cleaned_data.get("services", [])] or [
                int(v) for v in book_form.data.getlist("services") if v.isdigit()
            ]
        else:
            chosen = [int(v) for v in request.GET.getlist("service") if v.isdigit()]
        context["book_form"] = book_form or BookForm(office, initial={"services": chosen})
        context["chosen"] = chosen
        if chosen:
            context["free_times"] = [
                free.starts_at
                for free in schedule.available_times(office, chosen, day, for_clerk=True)
            ]
    return TemplateResponse(request, "appointments/backoffice/day.html", context, status=status)


def _back(office_id, day) -> str:
    return reverse("appointments-backoffice:day") + f"?office={office_id}&date={day:%d.%m.%Y}"


def _report(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_POST
def act(request, appointment_id: int):
    try:
        appointment = access.get_appointment_for(request.actor, appointment_id)
    except NotFound:
        messages.error(request, _("There is no such appointment."))
        return redirect("appointments-backoffice:day")
    action = request.POST.get("action")
    operations = {
        "arrived": services.mark_arrived,
        "no_show": services.mark_no_show,
        "cancel": services.cancel_appointment,
    }
    operation = operations.get(action)
    day = appointment.starts_at.astimezone(schedule.tz()).date()
    if action == "cancel" and request.POST.get("confirmed") != "yes":
        # Cancelling tells the citizen and frees the time: it is asked for once more.
        context = {
            **backoffice_site.each_context(request),
            "title": _("Cancel this appointment?"),
            "appointment": appointment,
            "back": _back(appointment.office_id, day),
        }
        return TemplateResponse(request, "appointments/backoffice/confirm_cancel.html", context)
    if operation is None:
        messages.error(request, _("Unknown action."))
    else:
        try:
            operation(actor=request.actor, appointment=appointment)
        except ValidationError as exc:
            _report(request, exc)
        else:
            messages.success(request, DONE.get(action, _("Saved.")))
    return redirect(_back(appointment.office_id, day))


DONE = {
    "arrived": gettext_lazy("Marked as arrived."),
    "no_show": gettext_lazy("Marked as not come."),
    "cancel": gettext_lazy("The appointment has been cancelled; the citizen gets an email."),
}


@require_POST
def book(request):
    offices, office, day = _office_and_day(request)
    if office is None:
        return redirect("appointments-backoffice:day")
    form = BookForm(office, request.POST)
    if not form.is_valid():
        # the page again with what the clerk typed, each problem linked to its field
        errors = [
            {"href": f"#{form[field].id_for_label}" if field in form.fields else "", "message": e}
            for field, field_errors in form.errors.items()
            for e in field_errors
        ]
        return day_view(request, book_form=form, errors=errors, status=400)
    starts_at = dt.datetime.combine(day, form.cleaned_data["start"], tzinfo=schedule.tz())
    try:
        appointment = services.book_on_behalf(
            actor=request.actor,
            office=office,
            service_ids=[s.pk for s in form.cleaned_data["services"]],
            starts_at=starts_at,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
        )
    except ValidationError as exc:
        errors = [{"href": "#id_start", "message": m} for m in exc.messages]
        return day_view(request, book_form=form, errors=errors, status=400)
    else:
        messages.success(
            request,
            _("Booked %(name)s at %(time)s, %(counter)s.")
            % {
                "name": appointment.name,
                "time": appointment.starts_at.astimezone(schedule.tz()).strftime("%H:%M"),
                "counter": appointment.counter.name,
            },
        )
    return redirect(_back(office.pk, day))


@require_POST
def close_day(request):
    offices, office, day = _office_and_day(request)
    if office is None:
        return redirect("appointments-backoffice:day")
    note = request.POST.get("note", "")[:200]
    if request.POST.get("confirmed") != "yes":
        # Closing cancels the day's appointments and mails every citizen: the clerk is told
        # how many, and asked once more.
        affected = services.appointments_cancelled_by_closing(office, day)
        context = {
            **backoffice_site.each_context(request),
            "title": _("Close the office on this day?"),
            "office": office,
            "day": day,
            "note": note,
            "count": len(affected),
            "mailed": len([a for a in affected if a.status == Status.CONFIRMED and a.email]),
            "back": _back(office.pk, day),
        }
        return TemplateResponse(request, "appointments/backoffice/confirm_close.html", context)
    try:
        cancelled = services.close_office_day(
            actor=request.actor, office=office, day=day, note=note
        )
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "The office is closed on this day; %(count)s appointment was cancelled.",
                "The office is closed on this day; %(count)s appointments were cancelled.",
                len(cancelled),
            )
            % {"count": len(cancelled)},
        )
    return redirect(_back(office.pk, day))


urlpatterns = [
    path("", backoffice_site.admin_view(day_view), name="day"),
    path("<int:appointment_id>/act/", backoffice_site.admin_view(act), name="act"),
    path("book/", backoffice_site.admin_view(book), name="book"),
    path("close/", backoffice_site.admin_view(close_day), name="close"),
]
urls = (urlpatterns, "appointments-backoffice")
