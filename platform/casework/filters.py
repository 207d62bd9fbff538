"""The inbox's filters as the clerk types them into the address or the filter form: parsed and
checked here, so that a bad value is a message on the page, never a 500 (`QueueFilters`).

Query parameters (other pages link with them): `q`, `form=<id>`, `status=<value>`,
`assigned=me|none|<user id>`, `deadline=overdue|soon|none`, `payment=paid|unpaid|blocked`,
`from`/`to` (TT.MM.JJJJ or ISO), `unread=1`, `sort=<key>` (`-submitted` by default) and the
page cursors `after`/`before`."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from portalwerk.platform import dates
from portalwerk.platform.forms.models import Form, SubmissionStatus

MIN_SEARCH = 3  # trigram search needs three characters to use its index
MAX_SEARCH = 100

# the sort keys; "-" in front: descending
SORT_KEYS = ("submitted", "due", "reference", "applicant", "status")
DEFAULT_SORT = "-submitted"

# the parameters a saved view keeps (not the page cursors)
FILTER_PARAMS = ("q", "form", "status", "assigned", "deadline", "payment", "from", "to", "unread")
VIEW_PARAMS = (*FILTER_PARAMS, "sort")


def parse_date(text: str) -> datetime.date:
    """TT.MM.JJJJ (the form's hint) or ISO JJJJ-MM-TT; ValueError otherwise."""
    value = dates.parse_date(text)
    if value is None:
        raise ValueError(text)
    return value


class GermanDateField(forms.CharField):
    """A text input for a date: the display never depends on the browser's locale."""

    default_error_messages = {
        "invalid": _("Enter the date as DD.MM.YYYY, for example 31.01.2027."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def _sort_choices() -> list[tuple[str, str]]:
    labels = {
        "submitted": (_("Newest first"), _("Oldest first")),
        "due": (_("Deadline: latest first"), _("Deadline: soonest first")),
        "reference": (_("Reference number: Z to A"), _("Reference number: A to Z")),
        "applicant": (_("Applicant: Z to A"), _("Applicant: A to Z")),
        "status": (_("Status: last step first"), _("Status: in order of work")),
    }
    choices = []
    for key in SORT_KEYS:
        descending, ascending = labels[key]
        choices += [(f"-{key}", descending), (key, ascending)]
    return choices


class QueueFilters(forms.Form):
    """The filter form of the inbox. Field names are the query parameters."""

    q = forms.CharField(label=_("Reference or name"), required=False, max_length=MAX_SEARCH)
    form = forms.ModelChoiceField(
        label=_("Form"),
        queryset=Form.objects.order_by("slug"),
        required=False,
        empty_label=_("All"),
        error_messages={"invalid_choice": _("Choose a form from the list.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )
    assigned = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        error_messages={"invalid_choice": _("Choose a person from the list.")},
    )
    deadline = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            ("", _("All")),
            ("overdue", _("Overdue")),
            ("soon", _("Due within 3 days")),
            ("none", _("No deadline")),
        ],
        error_messages={"invalid_choice": _("Choose a deadline from the list.")},
    )
    payment = forms.ChoiceField(
        label=_("Payment"),
        required=False,
        choices=[
            ("", _("All")),
            ("paid", _("Fee paid")),
            ("unpaid", _("Fee not paid")),
            ("blocked", _("Held: fee cannot be paid online")),
        ],
        error_messages={"invalid_choice": _("Choose a payment state from the list.")},
    )
    unread = forms.BooleanField(label=_("Only with unread replies"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        error_messages={"invalid_choice": _("Choose an order from the list.")},
    )
    after = forms.CharField(required=False, max_length=400)
    before = forms.CharField(required=False, max_length=400)

    def __init__(self, data, *, clerks, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["from"] = GermanDateField(label=_("Submitted from"), required=False)
        self.fields["to"] = GermanDateField(label=_("Submitted until"), required=False)
        self.fields["status"].choices = [("", _("All")), *SubmissionStatus.choices]
        self.fields["assigned"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody")),
            *((str(c.pk), str(c)) for c in clerks),
        ]
        self.fields["sort"].choices = _sort_choices()

    def clean_q(self) -> str:
        q = " ".join(self.cleaned_data.get("q", "").split())
        if 0 < len(q) < MIN_SEARCH:
            raise forms.ValidationError(
                _("Enter at least %(n)s characters to search.") % {"n": MIN_SEARCH},
                code="too_short",
            )
        return q

    def clean_sort(self) -> str:
        return self.cleaned_data.get("sort") or DEFAULT_SORT

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end of the period must not be before its start."))
        return data

    def values(self) -> dict:
        """The valid filters (an invalid one is left out, and its message shown)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {k: v for k, v in data.items() if k not in self.errors}
