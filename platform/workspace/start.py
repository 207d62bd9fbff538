"""The clerk's start page at /backoffice/: what needs the clerk now (new submissions, those
assigned to them, overdue ones, today's appointments, failed hand-overs), each with a count, its
first rows and a link into the queue with the matching filter; the tenant's settings pages and
the admin's technical pages for those allowed."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from portalwerk.platform.authz.capabilities import (
    can_process_submissions,
    can_read_submissions,
    can_see_appointments,
    can_view_deliveries,
)
from portalwerk.platform.backoffice import administration_pages, backoffice_site
from portalwerk.platform.casework.services import record_inbox_listing
from portalwerk.platform.workspace import queries

# the queue's own filters (docs/clerks/inbox.md), so that a count here is the queue's count there
QUEUE_FILTERS = {
    "new": "?status=received&assigned=none",
    "mine": "?assigned=me",
    "overdue": "?deadline=overdue",
}


@backoffice_site.admin_view
@transaction.atomic
def start(request):
    actor = request.actor
    inbox = reverse("casework:inbox")
    sections = {}
    if can_read_submissions(actor):
        sections["new"] = queries.new_submissions()
        if can_process_submissions(actor):
            sections["mine"] = queries.assigned_to(actor)
        sections["overdue"] = queries.overdue()
        shown = sum(len(s.rows) for s in sections.values())
        # applicants' names are on this page: seeing them is recorded, as the inbox's are
        record_inbox_listing(actor=actor, rows=shown, page=1, filters={"start_page": True})
    links = {key: inbox + query for key, query in QUEUE_FILTERS.items()}
    if can_see_appointments(actor):
        sections["appointments"] = queries.todays_appointments()
    if can_view_deliveries(actor):
        sections["handovers"] = queries.failed_handovers()
    return render(
        request,
        "backoffice/start.html",
        {
            "sections": sections,
            "links": links,
            "today": timezone.localdate(),
            "administration": administration_pages(actor),
            "technical": backoffice_site.get_app_list(request),
        },
    )
