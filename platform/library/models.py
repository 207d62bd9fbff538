"""The shared template library (public schema): service descriptions that tenants adopt as copies.

`ServiceContent` is the description itself; the tenant catalogue's `Service` has the same fields,
so adopting a template is copying `CONTENT_FIELDS`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portalwerk.platform.library.errors import CatalogErrorCode
from portalwerk.platform.library.translation import translated
from portalwerk.platform.library.validators import validate_leika_key


class FeeKind(models.TextChoices):
    AMOUNT = "amount", _("fixed amount")
    FREE = "free", _("free of charge")
    SCHEDULE = "schedule", _("see fee schedule")


class ServiceContent(models.Model):
    leika_key = models.CharField(
        _("LeiKa key"),
        max_length=14,
        blank=True,
        validators=[validate_leika_key],
        help_text=_("Optional service key from the federal service catalogue (14 digits, 99…)."),
    )
    name_de = models.CharField(_("name (German)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    summary_de = models.TextField(_("short summary (German)"), max_length=500)
    summary_en = models.TextField(_("short summary (English)"), max_length=500, blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    eligibility_de = models.TextField(_("who may apply (German)"), blank=True)
    eligibility_en = models.TextField(_("who may apply (English)"), blank=True)
    documents_de = models.TextField(
        _("required documents (German)"), blank=True, help_text=_("One document per line.")
    )
    documents_en = models.TextField(
        _("required documents (English)"), blank=True, help_text=_("One document per line.")
    )
    fee_kind = models.CharField(
        _("fee"), max_length=10, choices=FeeKind.choices, default=FeeKind.FREE
    )
    fee_amount_cents = models.PositiveIntegerField(
        _("fee amount in cents"), null=True, blank=True, help_text=_("For example 3500 for €35.00.")
    )
    fee_note_de = models.CharField(_("fee note (German)"), max_length=300, blank=True)
    fee_note_en = models.CharField(_("fee note (English)"), max_length=300, blank=True)
    processing_time_de = models.CharField(_("processing time (German)"), max_length=200, blank=True)
    processing_time_en = models.CharField(
        _("processing time (English)"), max_length=200, blank=True
    )
    legal_basis_de = models.TextField(_("legal basis (German)"), blank=True)
    legal_basis_en = models.TextField(_("legal basis (English)"), blank=True)

    name = translated("name")
    summary = translated("summary")
    description = translated("description")
    eligibility = translated("eligibility")
    documents = translated("documents")
    fee_note = translated("fee_note")
    processing_time = translated("processing_time")
    legal_basis = translated("legal_basis")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name_de

    def clean(self):
        super().clean()
        if self.fee_kind == FeeKind.AMOUNT and self.fee_amount_cents is None:
            raise ValidationError(
                {
                    "fee_amount_cents": ValidationError(
                        _("Enter the fee amount in cents, or choose another kind of fee."),
                        code=CatalogErrorCode.FEE_AMOUNT_REQUIRED,
                    )
                }
            )
        if self.fee_kind != FeeKind.AMOUNT and self.fee_amount_cents is not None:
            raise ValidationError(
                {
                    "fee_amount_cents": ValidationError(
                        _("An amount only goes with the fee kind “fixed amount”."),
                        code=CatalogErrorCode.FEE_AMOUNT_NOT_ALLOWED,
                    )
                }
            )

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]

    @property
    def fee_euros(self) -> str:
        """The amount as a German/English-neutral number, e.g. 35.00 → "35,00" in de."""
        from django.utils.formats import number_format

        if self.fee_amount_cents is None:
            return ""
        return number_format(self.fee_amount_cents / 100, decimal_pos=2)


CONTENT_FIELDS = [f.name for f in ServiceContent._meta.fields]


class ServiceTemplate(ServiceContent):
    """A service description in the shared library. Every change of its content raises `version`;
    a tenant's copy remembers the version it was adopted from."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name_de"]
        verbose_name = _("service template")
        verbose_name_plural = _("service templates")
