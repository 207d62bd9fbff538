"""A clerk's saved views of the inbox: a name and the filters and sort behind it (the query
string, only the queue's own parameters). Each clerk sees, applies and deletes only their own;
saving under a name they already use replaces that view."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

MAX_VIEWS = 30
MAX_NAME = 80


class SavedView(models.Model):
    # no index of its own: one_saved_view_per_name (owner, name) leads with it
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_inbox_views",
        db_index=False,
    )
    name = models.CharField(max_length=MAX_NAME)
    # the urlencoded filters (may hold a name typed into the search: kept for its owner only)
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "casework"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="one_saved_view_per_name")
        ]

    def __str__(self) -> str:
        return self.name


def clean_query(query: str) -> str:
    """Only the queue's filter and sort parameters, non-empty, in a fixed order."""
    from portalwerk.platform.casework.filters import VIEW_PARAMS

    given = QueryDict(query[:2000])
    kept = QueryDict(mutable=True)
    for key in VIEW_PARAMS:
        value = given.get(key, "").strip()
        if value:
            kept[key] = value[:200]
    return kept.urlencode()


def views_of(actor) -> models.QuerySet[SavedView]:
    from portalwerk.platform.authz.actors import check

    user = check(actor).user
    if user is None:
        return SavedView.objects.none()
    return SavedView.objects.filter(owner=user)


def _error(code: str, message: str, field: str = "name"):
    from portalwerk.platform.error_codes import code_error

    return code_error(code, message, field)


@transaction.atomic
def save_view(*, actor, name: str, query: str) -> SavedView:
    from portalwerk.platform.authz import capabilities
    from portalwerk.platform.casework.services import CaseworkErrorCode

    capabilities.require(actor, capabilities.Capability.READ_SUBMISSIONS)
    if "\x00" in (name or ""):  # no keyboard types it; PostgreSQL refuses it in text
        raise _error(
            CaseworkErrorCode.VIEW_NAME_INVALID,
            _("The name contains a character that is not allowed."),
        )
    name = " ".join((name or "").split())
    if not name:
        raise _error(CaseworkErrorCode.VIEW_NAME_REQUIRED, _("Enter a name for the view."))
    if len(name) > MAX_NAME:
        raise _error(
            CaseworkErrorCode.VIEW_NAME_TOO_LONG,
            _("The name must be %(n)s characters or fewer.") % {"n": MAX_NAME},
        )
    mine = views_of(actor)
    view = mine.filter(name=name).first()
    if view is None and mine.count() >= MAX_VIEWS:
        raise _error(
            CaseworkErrorCode.TOO_MANY_VIEWS,
            _("You can keep up to %(n)s views. Delete one first.") % {"n": MAX_VIEWS},
        )
    if view is None:
        view = SavedView(owner=actor.user, name=name)
    view.query = clean_query(query)
    view.save()
    return view


@transaction.atomic
def delete_view(*, actor, view_id) -> str:
    """Deletes one of the actor's own views; another's is "not found". Returns its name."""
    from portalwerk.platform.casework.services import CaseworkErrorCode

    view = None
    if str(view_id).isdigit() and len(str(view_id)) < 18:
        view = views_of(actor).filter(pk=int(view_id)).first()
    if view is None:
        raise _error(CaseworkErrorCode.NOT_FOUND, _("This view was not found."), "__all__")
    name = view.name
    view.delete()
    return name
