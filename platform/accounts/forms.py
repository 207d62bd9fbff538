"""Forms for the account pages. They only parse what was typed; the rules are in services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class AccessibleForm(forms.Form):
    """A form whose service errors land at their fields (Django points each input at its hint
    and error with aria-describedby; `portal/includes/field.html` uses the same ids)."""

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's ValidationError: field errors at their fields, the rest on top."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


def _email_field(label=None) -> forms.EmailField:
    return forms.EmailField(
        label=label or _("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address in the right format, like name@example.org."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


def _minimum_password_length() -> int:
    for validator in password_validation.get_default_password_validators():
        if hasattr(validator, "min_length"):
            return validator.min_length
    return 0


def _password_hint() -> str:
    length = _minimum_password_length()
    return ngettext(
        "At least %(length)d character. Not a common password, not only digits, and not like "
        "your name or email address.",
        "At least %(length)d characters. Not a common password, not only digits, and not like "
        "your name or email address.",
        length,
    ) % {"length": length}


password_hint = lazy(_password_hint, str)


def _new_password_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        help_text=password_hint(),
        error_messages={"required": _("Enter a password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class SignInForm(AccessibleForm):
    email = _email_field()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": _("Enter your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SignUpForm(AccessibleForm):
    """Every rule (required, format, password strength) is checked by `register_citizen`, so that
    all problems are shown at once; the inputs still say they are required."""

    full_name = forms.CharField(
        label=_("Full name"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "required": True}),
    )
    email = forms.CharField(
        label=_("Email address"),
        required=False,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "required": True}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        help_text=password_hint(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "required": True}),
    )


class PasswordResetRequestForm(AccessibleForm):
    email = _email_field()


class SetPasswordForm(AccessibleForm):
    password = _new_password_field(_("New password"))


class AcceptInvitationForm(AccessibleForm):
    password = _new_password_field(_("Password"))


class PostalAddressForm(AccessibleForm):
    """The rules (all four parts or none, the postcode's five digits, lengths) are the service's,
    so that every problem shows at once at its field."""

    street = forms.CharField(
        label=_("Street"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    house_number = forms.CharField(
        label=_("House number"),
        required=False,
        widget=forms.TextInput(attrs={"class": "narrow"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "class": "narrow"}
        ),
    )
    city = forms.CharField(
        label=_("Town or city"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
