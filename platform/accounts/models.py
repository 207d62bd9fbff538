"""People who sign in. The table exists in every tenant schema (citizens, clerks, tenant admins)
and in the public schema (platform operators); a user never spans two schemas."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    CLERK_READER = "clerk_reader", _("clerk (reader)")
    CLERK_PROCESSOR = "clerk_processor", _("clerk (processor)")
    TENANT_ADMIN = "tenant_admin", _("tenant admin")
    OPERATOR = "operator", _("platform operator")


STAFF_ROLES = {Role.CLERK_READER, Role.CLERK_PROCESSOR, Role.TENANT_ADMIN, Role.OPERATOR}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        # Staff accounts are made by a tenant admin or an operator, who vouches for the address;
        # only self-registered citizens start unverified (see services.register_citizen).
        # An explicit `email_verified_at=None` still makes an unverified staff account.
        if fields.get("role") in STAFF_ROLES:
            fields.setdefault("email_verified_at", timezone.now())
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("role", Role.OPERATOR)
        fields.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, is_superuser=True, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    identity_provider = models.CharField(max_length=40, default="local")
    external_id = models.CharField(max_length=255, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, default="de")
    # The citizen's postal address, offered to forms that ask for it (prefill "address"); all four
    # parts or none, as `profile.change_postal_address` keeps it.
    street = models.CharField(_("street"), max_length=100, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("town or city"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        """Staff may open the back office of the schema they belong to (Django admin): who may
        is the capabilities' answer (portalwerk.platform.authz)."""
        from portalwerk.platform.authz import capabilities
        from portalwerk.platform.authz.actors import from_user

        if not self.is_active:
            return False
        actor = from_user(self)
        return bool(
            self.is_superuser
            or capabilities.can_use_backoffice(actor)
            or capabilities.can_operate_platform(actor)
        )

    @property
    def postal_address(self) -> dict[str, str]:
        """The address in the parts a form's address field has; empty when none is held."""
        parts = {
            "street": self.street,
            "house_number": self.house_number,
            "postcode": self.postcode,
            "city": self.city,
        }
        return parts if any(parts.values()) else {}

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def has_perm(self, perm: str, obj=None) -> bool:
        """Django admin's permissions, from the role's capabilities (one table in authz)."""
        from portalwerk.platform.authz.actors import from_user
        from portalwerk.platform.authz.capabilities import admin_permission

        if not self.is_active:
            return False
        return self.is_superuser or admin_permission(from_user(self), perm)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff


class SignInFailure(models.Model):
    """One failed password sign-in, counted per email address and client IP for the rate limit.

    The limit lives in a table rather than in the cache on purpose: the cache is a per-process
    LocMem, so with several web processes (or machines) an attacker would get the allowance once
    per process, and a restart would forget it. A row per failure in the schema's own table is
    shared by every process and each tenant counts only its own sign-ins. Rows older than the
    window are pruned whenever a new failure is recorded.
    """

    email = models.CharField(max_length=254)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["email", "ip_address", "created_at"], name="accounts_signinfail_lookup"
            ),
            models.Index(fields=["created_at"], name="accounts_signinfail_created"),
        ]

    def __str__(self) -> str:
        return f"{self.email} from {self.ip_address} at {self.created_at:%Y-%m-%d %H:%M}"
