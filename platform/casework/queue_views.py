"""The inbox's pages under /backoffice/inbox/: the queue (filters, search, sort, keyset pages,
saved views), the confirmation of a bulk action and saving or deleting a view. Every write is
a service call (`casework.bulk`, `casework.saved_views`); after one the clerk is back on the
queue as they left it, at the rows they worked on, with the result announced."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from portalwerk.platform.authz.capabilities import can_process_submissions
from portalwerk.platform.backoffice import backoffice_site
from portalwerk.platform.casework import bulk, queue, saved_views
from portalwerk.platform.casework.filters import DEFAULT_SORT, FILTER_PARAMS, QueueFilters
from portalwerk.platform.forms.models import SubmissionStatus

# the filter fields' ids on the page, for the error summary's links
FIELD_IDS = {name: f"f-{name}" for name in (*FILTER_PARAMS, "sort")}


def _messages(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {k: v[0].messages[0] for k, v in exc.error_dict.items()}
    return {"__all__": exc.messages[0]}


def _inbox_url(query: str, anchor: str = "") -> str:
    url = reverse("casework:inbox")
    query = QueryDict(query).urlencode() if query else ""
    return f"{url}?{query}{anchor}" if query else f"{url}{anchor}"


def _without_cursor(params: QueryDict) -> str:
    kept = params.copy()
    for key in ("after", "before"):
        kept.pop(key, None)
    return kept.urlencode()


@backoffice_site.admin_view
def inbox(request):
    clerks = list(queue.clerks())
    filters = QueueFilters(request.GET, clerks=clerks)
    valid = filters.is_valid()
    values = filters.values()
    errors = dict(filters.errors)
    page = None
    if not any(name in errors for name in FIELD_IDS):
        try:
            page = queue.list_queue(
                actor=request.actor,
                filters={k: v for k, v in values.items() if k not in ("after", "before")},
                after=values.get("after", ""),
                before=values.get("before", ""),
            )
        except queue.BadCursor:
            errors["after"] = [_("This page link no longer fits the list. Here is its start.")]
            page = queue.list_queue(
                actor=request.actor,
                filters={k: v for k, v in values.items() if k not in ("after", "before")},
            )
    summary = [
        {
            "href": f"#{FIELD_IDS[name]}" if name in FIELD_IDS else "#queue",
            "message": messages_[0],
        }
        for name, messages_ in errors.items()
    ]
    base_query = _without_cursor(request.GET)
    sort = values.get("sort") or DEFAULT_SORT
    rows = page.rows if page else []
    return render(
        request,
        "casework/inbox.html",
        {
            "filters": filters,
            "field_errors": {k: v[0] for k, v in errors.items()},
            "errors": summary,
            "page": page,
            "params": request.GET,
            "base_query": base_query,
            "sort": sort,
            "columns": _columns(request.GET, sort),
            "overdue": {s.pk for s in rows if queue.is_overdue(s)},
            "clerks": clerks,
            "statuses": SubmissionStatus.choices,
            "views": saved_views.views_of(request.actor),
            "can_process": can_process_submissions(request.actor),
        },
        status=200 if valid or not summary else 400,
    )


# the table's columns; those one can sort by with the direction a click on them starts with
COLUMNS = [
    ("reference", _lazy("Reference number"), "reference"),
    ("applicant", _lazy("Applicant"), "applicant"),
    ("form", _lazy("Form"), ""),
    ("submitted", _lazy("Submitted on"), "-submitted"),
    ("due", _lazy("Deadline"), "due"),
    ("status", _lazy("Status"), "status"),
    ("assigned", _lazy("Assigned to"), ""),
]


def _columns(params: QueryDict, sort: str) -> list[dict]:
    kept = params.copy()
    for key in ("after", "before", "sort"):
        kept.pop(key, None)
    columns = []
    for key, label, first in COLUMNS:
        column = {"label": label, "url": "", "aria_sort": ""}
        if first:
            if sort.lstrip("-") == key:
                column["aria_sort"] = "descending" if sort.startswith("-") else "ascending"
                target = key if sort.startswith("-") else f"-{key}"
            else:
                target = first
            kept["sort"] = target
            column["url"] = f"?{kept.urlencode()}"
        columns.append(column)
    return columns


@backoffice_site.admin_view
@require_POST
def bulk_action(request):
    """The confirmation page of a bulk action (step 1), then the action itself (step 2)."""
    post = request.POST
    action = post.get("action", "")
    query = post.get("query", "")
    arguments = {
        "actor": request.actor,
        "submission_ids": post.getlist("ids"),
        "action": action,
        "assignee_id": post.get("assignee", ""),
        "status": post.get("status", ""),
    }
    try:
        if post.get("confirm") == "1":
            plan = bulk.apply_bulk(**arguments)
        else:
            plan = bulk.plan_bulk(**arguments)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict") and exc.code == "not_found":
            raise Http404 from None
        for message in _messages(exc).values():
            messages.error(request, message)
        return redirect(_inbox_url(query, "#queue"))
    if post.get("confirm") == "1":
        messages.success(request, plan.done())
        return redirect(_inbox_url(query, f"#row-{plan.submissions[0].pk}"))
    return render(
        request,
        "casework/bulk_confirm.html",
        {"plan": plan, "query": query, "cancel_url": _inbox_url(query, "#queue")},
    )


@backoffice_site.admin_view
@require_POST
def save_view(request):
    query = request.POST.get("query", "")
    try:
        view = saved_views.save_view(
            actor=request.actor, name=request.POST.get("name", ""), query=query
        )
    except ValidationError as exc:
        for message in _messages(exc).values():
            messages.error(request, message)
        return redirect(_inbox_url(query, "#views"))
    messages.success(request, _("The view “%(name)s” has been saved.") % {"name": view.name})
    return redirect(_inbox_url(view.query, "#views"))


@backoffice_site.admin_view
@require_POST
def delete_view(request, view_id: int):
    try:
        name = saved_views.delete_view(actor=request.actor, view_id=view_id)
    except ValidationError:
        raise Http404 from None
    messages.success(request, _("The view “%(name)s” has been deleted.") % {"name": name})
    return redirect(_inbox_url(request.POST.get("query", ""), "#views"))
