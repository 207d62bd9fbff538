"""A tenant's service catalogue: services, offices with opening hours and closures, life-situation
categories, and the portal's own settings (branding, legal pages). All in the tenant's schema.

Content fields come in German (`*_de`, required where it matters) and English (`*_en`, optional);
`obj.name` etc. read the active language and fall back to German.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.catalog.colours import validate_brand_colour
from portalwerk.platform.library.errors import CatalogErrorCode
from portalwerk.platform.library.models import ServiceContent
from portalwerk.platform.library.translation import translated
from portalwerk.platform.library.validators import validate_link


class Category(models.Model):
    """A life situation ("Moving house", "Dogs and pets") that groups services."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    name = translated("name")
    description = translated("description")

    class Meta:
        ordering = ["position", "name_de"]
        verbose_name = _("life situation")
        verbose_name_plural = _("life situations")

    def __str__(self) -> str:
        return self.name_de


class Office(models.Model):
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=5)
    city = models.CharField(_("city"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    accessibility_de = models.TextField(
        _("accessibility (German)"),
        blank=True,
        help_text=_("Step-free access, lift, accessible toilet, induction loop, parking …"),
    )
    accessibility_en = models.TextField(_("accessibility (English)"), blank=True)

    name = translated("name")
    accessibility = translated("accessibility")

    class Meta:
        ordering = ["name_de"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name_de

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("catalog:office", args=[self.slug])

    @property
    def address(self) -> str:
        """One line: street, postcode and city (for booking pages, mails and calendar files)."""
        place = f"{self.postcode} {self.city}".strip()
        return ", ".join(part for part in (self.street, place) if part)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """One opening period on a weekday; a break is the gap between two periods of a day."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="opening_hours_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        super().clean()
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError(
                {
                    "closes": ValidationError(
                        _("The closing time must be after the opening time."),
                        code=CatalogErrorCode.TIMES_IN_WRONG_ORDER,
                    )
                }
            )


class Closure(models.Model):
    """Days an office is closed (holidays, staff outing), first to last day inclusive."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="closures")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason_de = models.CharField(_("reason (German)"), max_length=200, blank=True)
    reason_en = models.CharField(_("reason (English)"), max_length=200, blank=True)

    reason = translated("reason")

    class Meta:
        ordering = ["first_day"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="closure_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_day}–{self.last_day}"

    def clean(self):
        super().clean()
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError(
                {
                    "last_day": ValidationError(
                        _("The last day cannot be before the first day."),
                        code=CatalogErrorCode.DAYS_IN_WRONG_ORDER,
                    )
                }
            )

    def covers(self, day: datetime.date) -> bool:
        return self.first_day <= day <= self.last_day


class Service(ServiceContent):
    """A service (Leistung) the tenant offers: what it is, who may apply, what it needs and costs,
    who is responsible and where to go next."""

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("responsible office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("life situations"), blank=True, related_name="services"
    )
    budget_line = models.CharField(
        _("budget line"),
        max_length=40,
        blank=True,
        help_text=_("Haushaltsstelle the fee is booked to, for later accounting."),
    )
    form_url = models.CharField(
        _("online form"),
        max_length=300,
        blank=True,
        validators=[validate_link],
        help_text=_("Path (/forms/…) or https:// address of the online form, when there is one."),
    )
    appointment_url = models.CharField(
        _("appointment booking"),
        max_length=300,
        blank=True,
        validators=[validate_link],
        help_text=_("Path or https:// address of the appointment booking, when there is one."),
    )
    search_terms = models.TextField(
        _("search terms"),
        blank=True,
        help_text=_(
            "Words people use for this service, one per line (for example Flurkarte for the "
            "cadastral map); the portal search finds the service by them."
        ),
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_top = models.BooleanField(
        _("most used"), default=False, help_text=_("Shown on the home page among the most used.")
    )
    library_key = models.CharField(_("adopted from template"), max_length=80, blank=True)
    library_version = models.PositiveIntegerField(_("template version"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name_de"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("catalog:service", args=[self.slug])


class PortalSettings(models.Model):
    """The tenant's one row of portal settings: branding and the legally required pages."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    portal_name = models.CharField(
        _("portal name"),
        max_length=120,
        blank=True,
        help_text=_("Shown in the header; empty means the municipality's name."),
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#00548a",
        validators=[validate_brand_colour],
        help_text=_("Hex colour such as #00548a; white text on it must reach a contrast of 4.5:1."),
    )
    logo = models.BinaryField(_("logo"), blank=True, null=True, editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    imprint_de = models.TextField(_("imprint (German)"), blank=True)
    imprint_en = models.TextField(_("imprint (English)"), blank=True)
    privacy_de = models.TextField(_("privacy notice (German)"), blank=True)
    privacy_en = models.TextField(_("privacy notice (English)"), blank=True)
    accessibility_de = models.TextField(_("accessibility statement (German)"), blank=True)
    accessibility_en = models.TextField(_("accessibility statement (English)"), blank=True)
    feedback_email = models.EmailField(
        _("accessibility feedback email"),
        blank=True,
        help_text=_("Where people report barriers (required by the accessibility statement)."),
    )
    feedback_phone = models.CharField(_("accessibility feedback phone"), max_length=40, blank=True)

    imprint = translated("imprint")
    privacy = translated("privacy")
    accessibility = translated("accessibility")

    class Meta:
        verbose_name = _("portal settings")
        verbose_name_plural = _("portal settings")

    def __str__(self) -> str:
        return str(_("Portal settings"))

    @classmethod
    def load(cls) -> PortalSettings:
        """The settings without the logo's bytes, cached per tenant (the cache key carries the
        schema) for a short while; saving through the service function forgets them."""
        from django.conf import settings as django_settings
        from django.core.cache import cache

        cached = cache.get(SETTINGS_CACHE_KEY)
        if cached is None:
            cached = cls.objects.defer("logo").first() or cls()
            cache.set(SETTINGS_CACHE_KEY, cached, django_settings.PORTALWERK_TENANT_CACHE_SECONDS)
        return cached

    @property
    def has_logo(self) -> bool:
        return bool(self.logo_type)


SETTINGS_CACHE_KEY = "catalog:portal-settings"


# BITV 2.0 models live in their own module; imported here so Django finds them in this app.
from portalwerk.platform.catalog.bitv.models import (  # noqa: E402, F401
    AccessibilityFeedback,
    AccessibilityStatement,
    KnownBarrier,
    SignLanguageVideo,
)
