from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,62}$"


def _max_timeout() -> int:
    return settings.PORTALWERK_DATASOURCE_MAX_TIMEOUT_SECONDS


class DataSource(models.Model):
    """An external system a tenant's forms take options or prefill values from. Lives in the
    tenant's schema, so a form only ever reaches its own tenant's sources by key.

    The last good answer is kept on the row (`result`, `fetched_at`): it is the cache while
    younger than `cache_seconds`, and what the citizen gets after that whenever the source fails
    (before the static `fallback_options`)."""

    key = models.CharField(
        _("key"),
        max_length=63,
        unique=True,
        validators=[RegexValidator(KEY_PATTERN)],
        help_text=_("What form definitions name the source by: lower case letters, digits, _."),
    )
    name = models.CharField(_("name"), max_length=120)
    plugin = models.CharField(_("kind"), max_length=60)
    config = models.JSONField(default=dict)
    timeout_seconds = models.PositiveSmallIntegerField(
        _("timeout in seconds"), default=3, validators=[MinValueValidator(1)]
    )
    cache_seconds = models.PositiveIntegerField(
        _("cache lifetime in seconds"),
        default=3600,
        validators=[MaxValueValidator(7 * 24 * 3600)],
    )
    #: options offered when the source fails and no answer of it was ever kept; [] = none
    fallback_options = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    #: the last good answer, mapped: {"options": [...]} or {"document": ...}
    result = models.JSONField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    last_problem = models.CharField(max_length=20, blank=True)
    last_detail = models.CharField(max_length=300, blank=True)
    last_failed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
