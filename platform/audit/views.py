"""The tenant admin's audit log in the back office: filter, page, export as CSV."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_POST

from portalwerk.platform import dates
from portalwerk.platform.audit import queries, services
from portalwerk.platform.audit.actions import OBJECT_TYPES, Action, ActorKind
from portalwerk.platform.authz.capabilities import Capability, roles_with
from portalwerk.platform.backoffice import backoffice_site


def _filter(params) -> queries.LogFilter:
    days, _errors = dates.date_filters(params)

    def text(name: str, limit: int) -> str:
        # no entry holds a NUL, and PostgreSQL refuses one in a query: it matches nothing
        return params.get(name, "").replace("\x00", "")[:limit]

    return queries.LogFilter(
        actor=text("actor", 20),
        object_type=text("object_type", 40),
        object_id=text("object_id", 64),
        action=text("action", 64),
        date_from=days.get("from"),
        date_to=days.get("to"),
    )


def _staff():
    # whoever may use the back office can have entries in the tenant's log
    roles = roles_with(Capability.USE_BACKOFFICE)
    users = get_user_model().objects.filter(role__in=roles)
    return users.order_by("email").only("pk", "email")


@backoffice_site.admin_view
def log(request):
    params = request.GET
    try:
        page = services.read_log(
            actor=request.actor, log_filter=_filter(params), after=params.get("after", "")
        )
    except ValidationError:
        raise Http404 from None
    query = params.copy()
    query.pop("after", None)
    _days, date_errors = dates.date_filters(params)
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "params": params,
            "query": query.urlencode(),
            "filters": [(k, v) for k, v in params.items() if k != "after" and v],
            "staff": _staff(),
            "system_kinds": [(ActorKind.SYSTEM, ActorKind.SYSTEM.label)],
            "actions": Action.choices,
            "object_types": OBJECT_TYPES,
            "date_errors": date_errors,
        },
        # a mistyped date is said at its field; the list shows the other filters' entries
        status=400 if date_errors else 200,
    )


@backoffice_site.admin_view
@require_POST
def export(request):
    """POST: the export writes an audit entry, so no prefetch or crawler may trigger it."""
    try:
        content = services.export_log(actor=request.actor, log_filter=_filter(request.POST))
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    stamp = dt.date.today().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


app_name = "audit"
urlpatterns = [
    path("", log, name="log"),
    path("export.csv", export, name="export"),
]
