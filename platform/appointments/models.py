"""Appointments: offices with counters, bookable services, opening hours, and the slots that
PostgreSQL locks so that no counter is ever booked twice.

How capacity is enforced (see docs/appointments.md): the day is cut into grid units of the office's
granularity. A `Slot` row is one counter's grid unit; it is created the first time someone books it
(INSERT … ON CONFLICT DO NOTHING on the unique (counter, starts_at)) and from then on it is the row
every booking of that unit locks with one `SELECT … FOR UPDATE` ordered by (counter, start). A slot
row holds at most one appointment, so a counter can never be double-booked; free slots are the
opening hours minus the slot rows that are taken.

The place citizens visit is the catalogue's `Office` (name, address, accessibility, the opening
hours and closures the portal shows). An office takes appointments when it has an
`OfficeBookingPolicy` (the booking rules); counters, services with their durations there, booking
hours and exceptions, and appointments all point at the catalogue office.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.catalog.models import Office


def _new_access_key() -> str:
    return secrets.token_urlsafe(24)


class OfficeBookingPolicy(models.Model):
    """How a catalogue office takes appointments: an office with a policy is bookable online
    (while `is_active`); the place itself (name, address, accessibility) is the catalogue's."""

    office = models.OneToOneField(
        "catalog.Office",
        on_delete=models.CASCADE,
        related_name="booking_policy",
        verbose_name=_("office"),
    )
    is_active = models.BooleanField(_("bookable online"), default=True)
    observe_public_holidays = models.BooleanField(
        _("closed on public holidays of the state"), default=True
    )
    # Booking rules (ZMS defaults: window 1–60 days, hold 30 min, 60 min to confirm by mail,
    # a cancelled slot blocked 30 min).
    granularity_minutes = models.PositiveSmallIntegerField(
        _("slot grid (minutes)"), default=5, help_text=_("Start times lie on this grid.")
    )
    lead_time_minutes = models.PositiveIntegerField(
        _("earliest booking (minutes ahead)"), default=24 * 60
    )
    horizon_days = models.PositiveSmallIntegerField(_("latest booking (days ahead)"), default=60)
    max_active_per_email = models.PositiveSmallIntegerField(
        _("appointments one email address may hold"), default=2
    )
    cancel_block_minutes = models.PositiveSmallIntegerField(
        _("minutes a cancelled slot stays blocked"), default=30
    )
    hold_minutes = models.PositiveSmallIntegerField(
        _("minutes a slot is held before confirmation"), default=30
    )
    confirm_minutes = models.PositiveSmallIntegerField(
        _("minutes to click the confirmation link"), default=60
    )

    class Meta:
        verbose_name = _("booking rules")
        verbose_name_plural = _("booking rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(granularity_minutes__gte=1, granularity_minutes__lte=60),
                name="booking_policy_granularity_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.office)

    def clean(self):
        if self.granularity_minutes and (24 * 60) % self.granularity_minutes:
            raise ValidationError(
                {"granularity_minutes": _("The grid must divide the day (5, 10, 15, 20, 30 …).")}
            )


class BookableOffice(Office):
    """The catalogue's offices as the appointments back office shows them: with booking rules,
    services, counters, hours and exceptions on one page (a proxy: no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("office for appointments")
        verbose_name_plural = _("offices for appointments")


class BookableService(models.Model):
    """A service that needs a visit (residence registration, ID card, …)."""

    name = models.CharField(_("name"), max_length=200)
    catalog_key = models.CharField(_("catalogue service key"), max_length=64, blank=True)
    description = models.TextField(_("what to bring"), blank=True)
    is_active = models.BooleanField(_("bookable online"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("bookable service")
        verbose_name_plural = _("bookable services")

    def __str__(self) -> str:
        return self.name


class OfficeService(models.Model):
    """That an office offers a service, and how long it takes there."""

    # no index of its own: office_service_unique (office, service) leads with it
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="office_services", db_index=False
    )
    service = models.ForeignKey(
        BookableService, on_delete=models.CASCADE, related_name="office_services"
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=15)

    class Meta:
        ordering = ["office", "service"]
        verbose_name = _("service at an office")
        verbose_name_plural = _("services at the office")
        constraints = [
            models.UniqueConstraint(fields=["office", "service"], name="office_service_unique"),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1), name="office_service_duration"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.duration_minutes} min)"


class Counter(models.Model):
    """A desk at an office (Schalter); it serves one citizen at a time."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="counters", verbose_name=_("office")
    )
    name = models.CharField(_("name"), max_length=100)
    services = models.ManyToManyField(
        BookableService, related_name="counters", verbose_name=_("services offered"), blank=True
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["office", "name"]
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.office} – {self.name}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """Weekly booking hours of an office, or of one counter (then they replace the office's for
    it). Separate from the catalogue's opening hours: an office may take appointments only on
    some of its hours; the catalogue's closures close booking too (`schedule.compute`)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="booking_hours")
    counter = models.ForeignKey(
        Counter, on_delete=models.CASCADE, null=True, blank=True, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    break_starts = models.TimeField(_("break from"), null=True, blank=True)
    break_ends = models.TimeField(_("break until"), null=True, blank=True)

    class Meta:
        ordering = ["office", "counter", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="hours_open_before_close"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(break_starts__isnull=True, break_ends__isnull=True)
                    | models.Q(
                        break_starts__gte=models.F("opens"),
                        break_starts__lt=models.F("break_ends"),
                        break_ends__lte=models.F("closes"),
                    )
                ),
                name="hours_break_inside",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ExceptionKind(models.TextChoices):
    CLOSED = "closed", _("closed")
    EXTRA = "extra", _("extra opening")


class OpeningException(models.Model):
    """A date that differs from the weekly hours: closed (all day or some hours) or extra hours."""

    # no index of its own: the index on (office, date) leads with it
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="booking_exceptions", db_index=False
    )
    counter = models.ForeignKey(
        Counter,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exceptions",
        help_text=_("Empty: the whole office."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=ExceptionKind.choices)
    starts = models.TimeField(_("from"), null=True, blank=True, help_text=_("Empty: all day."))
    ends = models.TimeField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["office", "date", "starts"]
        verbose_name = _("exception to the opening hours")
        verbose_name_plural = _("exceptions to the opening hours")
        indexes = [models.Index(fields=["office", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(starts__isnull=True, ends__isnull=True)
                    | models.Q(starts__lt=models.F("ends"))
                ),
                name="exception_times",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="extra") | models.Q(starts__isnull=False),
                name="exception_extra_has_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class Status(models.TextChoices):
    HELD = "held", _("held")
    CONFIRMED = "confirmed", _("confirmed")
    ARRIVED = "arrived", _("arrived")
    NO_SHOW = "no_show", _("did not come")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired")


ACTIVE_STATUSES = (Status.HELD, Status.CONFIRMED)


class Appointment(models.Model):
    # no index of its own: the index on (office, starts_at) leads with it
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("office"),
        db_index=False,
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("counter")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("citizen's account"),
    )
    language = models.CharField(_("language"), max_length=8, default="de")
    access_key = models.CharField(
        _("access key"), max_length=64, default=_new_access_key, editable=False
    )
    booked_by_clerk = models.BooleanField(_("booked by staff"), default=False)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent on"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "counter"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [
            models.Index(fields=["office", "starts_at"]),
            models.Index(fields=["email", "status"]),
            models.Index(fields=["status", "held_until"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="appointment_times"
            ),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%d.%m.%Y %H:%M} {self.counter}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class AppointmentItem(models.Model):
    """One service in an appointment; an appointment's duration is the sum of its items'."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="items")
    service = models.ForeignKey(BookableService, on_delete=models.PROTECT, related_name="+")
    duration_minutes = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.service_id} ({self.duration_minutes} min)"


class Slot(models.Model):
    """One counter's grid unit, created when first booked; the row bookings lock.

    Taken while `appointment` is set and its hold has not run out (`held_until`), and while
    `blocked_until` lies ahead (a cancelled slot stays blocked against appointment trading).
    """

    # no index of its own: slot_counter_start (counter, starts_at) leads with it
    counter = models.ForeignKey(
        Counter, on_delete=models.CASCADE, related_name="slots", db_index=False
    )
    starts_at = models.DateTimeField()
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="slots"
    )
    held_until = models.DateTimeField(null=True, blank=True)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["counter", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["counter", "starts_at"], name="slot_counter_start"),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.counter_id} {self.starts_at:%Y-%m-%d %H:%M}"
