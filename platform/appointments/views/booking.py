"""The booking steps: services → office → day → time → personal data (the time is held) →
confirmation of a signed-in citizen's hold."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from portalwerk.platform.appointments import access, limits, schedule, services
from portalwerk.platform.appointments.errors import NotFound
from portalwerk.platform.appointments.models import (
    Appointment,
    BookableService,
    Status,
)
from portalwerk.platform.appointments.views.shared import (
    Problem,
    _days_page,
    _duration,
    _limited,
    _parse_date,
    _parse_start,
    _query,
    _search_limit,
    _times_page,
)
from portalwerk.platform.catalog.models import Office
from portalwerk.platform.client import client_ip

SESSION_HOLDS = "appointment_holds"


def _choices(request) -> tuple[list[BookableService], Office | None]:
    chosen = access.bookable_services(request.GET.getlist("service"))
    office = None
    if request.GET.get("office"):
        try:
            office = access.get_office(request.GET["office"])
        except NotFound:
            raise Http404 from None
    return chosen, office


# --- the booking steps ------------------------------------------------------------------------


def _offered(office: Office | None = None):
    """The services citizens can book: offered at an office that takes appointments (or at the
    given one)."""
    query = BookableService.objects.filter(is_active=True)
    if office is not None:
        query = query.filter(office_services__office=office)
    else:
        query = query.filter(office_services__office__booking_policy__is_active=True)
    return query.distinct().order_by("name")


def start(request):
    """Step 1: the services. `?office=` (the catalogue office page's link) offers only that
    office's services and goes on to its days."""
    office = None
    if request.GET.get("office"):
        try:
            office = access.get_office(request.GET["office"])
        except NotFound:
            raise Http404 from None
    errors = []
    if request.GET.get("submitted") and not request.GET.getlist("service"):
        errors.append(_("Choose at least one service."))
    return render(
        request,
        "appointments/start.html",
        {
            "services": _offered(office),
            "office": office,
            "form": Problem(errors=errors),
            "chosen": request.GET.getlist("service"),
        },
        status=400 if errors else 200,
    )


def for_service(request, service_key: str):
    """The link a catalogue service page carries (`/appointments/<service slug>/`): the booking
    with that service chosen, at the office choice. 404 when nothing bookable stands for it."""
    found = _offered().filter(catalog_key=service_key)[:1]
    if not found:
        raise Http404
    return redirect(reverse("appointments:office") + "?" + _query(found))


def choose_office(request):
    chosen, office = _choices(request)
    if not chosen:
        query = _query([], office, submitted=1)
        return redirect(reverse("appointments:start") + "?" + query)
    ids = [s.pk for s in chosen]
    offices = (
        access.bookable_offices()
        .annotate(
            offered=Count(
                "office_services",
                filter=Q(office_services__service__in=ids),
                distinct=True,
            )
        )
        .filter(offered=len(ids))
        .order_by("name_de")
    )
    offices = [o for o in offices if schedule.counters_for(o, ids)]
    if office is not None and office.pk in {o.pk for o in offices}:
        # the citizen came from the office's page: no need to choose it again
        return redirect(reverse("appointments:days") + "?" + _query(chosen, office))
    for each in offices:
        each.minutes = _duration(each, chosen)
    return render(
        request,
        "appointments/office.html",
        {"chosen": chosen, "offices": offices, "query": _query(chosen)},
    )


def choose_day(request):
    chosen, office = _choices(request)
    if not chosen or office is None:
        return redirect(reverse("appointments:office") + "?" + _query(chosen))
    limited = _search_limit(request)
    if limited:
        return limited
    return _days_page(
        request,
        office,
        chosen,
        next_url=reverse("appointments:times"),
        base_query=_query(chosen, office),
        back_url=reverse("appointments:office") + "?" + _query(chosen),
    )


def choose_time(request):
    chosen, office = _choices(request)
    day = _parse_date(request.GET.get("date"))
    if not chosen or office is None or day is None:
        return redirect(reverse("appointments:days") + "?" + _query(chosen, office))
    limited = _search_limit(request)
    if limited:
        return limited
    return _times_page(
        request,
        office,
        chosen,
        day,
        action=reverse("appointments:details"),
        method="get",
        hidden=[("service", s.pk) for s in chosen] + [("office", office.pk)],
        back_url=reverse("appointments:days") + "?" + _query(chosen, office),
    )


class DetailsForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": gettext_lazy("Enter your name.")},
    )
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        help_text=gettext_lazy("We send the confirmation and a reminder to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": gettext_lazy("Enter your email address."),
            "invalid": gettext_lazy("Enter an email address like name@example.org."),
        },
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone number (optional)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.error_list:
            form.add_error(None, error)


def _session_holds(request) -> list[int]:
    return [int(i) for i in request.session.get(SESSION_HOLDS, [])]


@require_http_methods(["GET", "POST"])
def details(request):
    source = request.GET  # the choices stay in the URL; the form posts back to it
    chosen = access.bookable_services(source.getlist("service"))
    try:
        office = access.get_office(source.get("office"))
    except NotFound:
        raise Http404 from None
    starts_at = _parse_start(source.get("start"))
    if not chosen or starts_at is None:
        return redirect(reverse("appointments:days") + "?" + _query(chosen, office))
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.full_name, "email": request.user.email}
    form = DetailsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                limits.check_booking(
                    ip=client_ip(request, "unknown"), email=form.cleaned_data["email"]
                )
            except ValidationError as exc:
                return _limited(request, exc)
            held = [
                pk
                for pk in _session_holds(request)
                if Appointment.objects.filter(
                    pk=pk, status=Status.HELD, held_until__gt=timezone.now()
                ).exists()
            ]
            if len(held) >= limits.limit("holds_per_session"):
                form.add_error(
                    None,
                    ngettext(
                        "You are already holding %(count)s time. Confirm or release it before "
                        "holding another.",
                        "You are already holding %(count)s times. Confirm or release one of "
                        "them before holding another.",
                        len(held),
                    )
                    % {"count": len(held)},
                )
            else:
                try:
                    appointment = services.hold_appointment(
                        actor=request.actor,
                        office=office,
                        service_ids=[s.pk for s in chosen],
                        starts_at=starts_at,
                        name=form.cleaned_data["name"],
                        email=form.cleaned_data["email"],
                        phone=form.cleaned_data["phone"],
                        language=translation.get_language() or "de",
                    )
                except ValidationError as exc:
                    _apply_errors(form, exc)
                else:
                    request.session[SESSION_HOLDS] = [*held, appointment.pk]
                    return redirect("appointments:held", appointment_id=appointment.pk)
    return render(
        request,
        "appointments/details.html",
        {
            "form": form,
            "chosen": chosen,
            "office": office,
            "starts_at": starts_at,
            "minutes": _duration(office, chosen),
            "back_url": reverse("appointments:times")
            + "?"
            + _query(chosen, office, date=starts_at.astimezone(schedule.tz()).date().isoformat()),
        },
        status=status,
    )


def _held_in_session(request, appointment_id: int) -> Appointment:
    if int(appointment_id) not in _session_holds(request):
        raise Http404
    appointment = (
        Appointment.objects.select_related("office__booking_policy", "counter")
        .prefetch_related("items__service")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


@require_http_methods(["GET", "POST"])
def held(request, appointment_id: int):
    appointment = _held_in_session(request, appointment_id)
    form = Problem()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "release":
                services.cancel_appointment(actor=request.actor, appointment=appointment)
                messages.info(request, _("The time has been released."))
                return redirect("appointments:start")
            if not (request.user.is_authenticated and appointment.user_id == request.user.pk):
                raise Http404
            appointment = services.confirm_appointment(actor=request.actor, appointment=appointment)
        except ValidationError as exc:
            form = Problem(errors=exc.messages)
        else:
            messages.success(request, _("Your appointment is booked."))
            return redirect("appointments:manage", token=access.manage_token(appointment))
    return render(
        request,
        "appointments/held.html",
        {"appointment": appointment, "form": form},
        status=400 if form.errors else 200,
    )
