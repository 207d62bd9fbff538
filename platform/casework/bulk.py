"""Bulk actions on the submissions a clerk selected in the inbox: assign (to oneself or to a
colleague) and change the status. `plan_bulk` says what would happen, for the confirmation page
("12 Anträge werden Max Muster zugewiesen"), and which selected submissions cannot take part;
`apply_bulk` does it in one transaction, each submission through the same service (and so the
same permission check, audit entry and citizen mail) as on its own page. If any one of them
cannot take part, nothing changes. Export goes through `casework.export`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portalwerk.platform.accounts.models import User
from portalwerk.platform.authz import capabilities
from portalwerk.platform.authz.actors import Actor, check, from_user
from portalwerk.platform.casework import services
from portalwerk.platform.casework.services import TRANSITIONS, CaseworkErrorCode
from portalwerk.platform.error_codes import code_error
from portalwerk.platform.forms.models import Submission, SubmissionStatus

MAX_SELECTED = 200
ASSIGN_ME, ASSIGN, STATUS = "assign_me", "assign", "status"
ACTIONS = (ASSIGN_ME, ASSIGN, STATUS)


@dataclass
class Plan:
    action: str
    submissions: list[Submission]
    refused: list[tuple[Submission, str]] = field(default_factory=list)
    assignee: User | None = None
    status: str = ""

    @property
    def status_label(self) -> str:
        return str(SubmissionStatus(self.status).label) if self.status else ""

    def summary(self) -> str:
        """What confirming will do, in one sentence."""
        n = len(self.submissions)
        if self.action == ASSIGN_ME:
            text = ngettext(
                "%(n)s submission will be assigned to you.",
                "%(n)s submissions will be assigned to you.",
                n,
            )
        elif self.action == ASSIGN:
            text = ngettext(
                "%(n)s submission will be assigned to %(name)s.",
                "%(n)s submissions will be assigned to %(name)s.",
                n,
            )
        else:
            text = ngettext(
                "%(n)s submission will get the status “%(status)s”.",
                "%(n)s submissions will get the status “%(status)s”.",
                n,
            )
        return text % {"n": n, "name": self.assignee, "status": self.status_label}

    def done(self) -> str:
        """What happened, for the message after confirming."""
        n = len(self.submissions)
        if self.action == ASSIGN_ME:
            text = ngettext(
                "%(n)s submission has been assigned to you.",
                "%(n)s submissions have been assigned to you.",
                n,
            )
        elif self.action == ASSIGN:
            text = ngettext(
                "%(n)s submission has been assigned to %(name)s.",
                "%(n)s submissions have been assigned to %(name)s.",
                n,
            )
        else:
            text = ngettext(
                "%(n)s submission now has the status “%(status)s”.",
                "%(n)s submissions now have the status “%(status)s”.",
                n,
            )
        return text % {"n": n, "name": self.assignee, "status": self.status_label}


def _ids(submission_ids) -> list[int]:
    ids = []
    for value in submission_ids or ():
        text = str(value)
        if text.isdigit() and len(text) < 18 and int(text) not in ids:
            ids.append(int(text))
    if not ids:
        raise code_error(
            CaseworkErrorCode.NOTHING_SELECTED, _("Select at least one submission."), "ids"
        )
    if len(ids) > MAX_SELECTED:
        raise code_error(
            CaseworkErrorCode.TOO_MANY_SELECTED,
            _("Select at most %(n)s submissions at a time.") % {"n": MAX_SELECTED},
            "ids",
        )
    return ids


def _assignee(actor: Actor, action: str, assignee_id) -> User | None:
    if action == ASSIGN_ME:
        return check(actor).user
    text = str(assignee_id or "")
    user = None
    if text.isdigit() and len(text) < 18:
        user = User.objects.filter(pk=int(text), is_active=True).first()
    if user is None or not capabilities.can_use_backoffice(from_user(user)):
        raise code_error(
            CaseworkErrorCode.NOT_A_CLERK, _("Choose a clerk of this office."), "assignee"
        )
    return user


@transaction.atomic
def plan_bulk(
    *, actor: Actor, submission_ids, action: str, assignee_id=None, status: str = "", lock=False
) -> Plan:
    """What the action would do to the selected submissions (nothing is changed; seeing them
    is audited)."""
    capabilities.require(actor, capabilities.Capability.PROCESS_SUBMISSIONS)
    if action not in ACTIONS:
        raise code_error(CaseworkErrorCode.UNKNOWN_ACTION, _("Choose an action."), "action")
    ids = _ids(submission_ids)
    assignee = _assignee(actor, action, assignee_id) if action != STATUS else None
    if action == STATUS and status not in SubmissionStatus.values:
        raise code_error(CaseworkErrorCode.STATUS_REQUIRED, _("Choose the new status."), "status")
    rows = Submission.objects.filter(pk__in=ids, anonymised_at__isnull=True)
    if lock:  # in id order, so that two clerks' bulk actions cannot deadlock
        rows = rows.select_for_update().order_by("pk")
    found = {s.pk: s for s in rows}
    plan = Plan(action=action, submissions=[], assignee=assignee, status=status)
    for pk in ids:
        submission = found.get(pk)
        if submission is None:
            continue  # gone (purged) or never here: it is not listed, as on every other page
        if action == STATUS and status not in TRANSITIONS.get(submission.status, set()):
            reason = _("is “%(old)s” and cannot become “%(new)s”") % {
                "old": SubmissionStatus(submission.status).label,
                "new": plan.status_label,
            }
            plan.refused.append((submission, reason))
        else:
            plan.submissions.append(submission)
    if not plan.submissions and not plan.refused:
        raise code_error(
            CaseworkErrorCode.NOTHING_SELECTED, _("Select at least one submission."), "ids"
        )
    if not lock:  # the confirmation page names the applicants: recorded as a listing is
        services.record_inbox_listing(
            actor=actor,
            rows=len(plan.submissions) + len(plan.refused),
            page=1,
            filters={"bulk": action},
        )
    return plan


@transaction.atomic
def apply_bulk(
    *, actor: Actor, submission_ids, action: str, assignee_id=None, status: str = ""
) -> Plan:
    """Does the action to every selected submission, or (if one of them cannot take part) to
    none: the refusal names them."""
    plan = plan_bulk(
        actor=actor,
        submission_ids=submission_ids,
        action=action,
        assignee_id=assignee_id,
        status=status,
        lock=True,
    )
    if plan.refused:
        references = ", ".join(s.reference for s, _reason in plan.refused)
        raise code_error(
            CaseworkErrorCode.INVALID_TRANSITION,
            ngettext(
                "%(n)s selected submission cannot take part (%(references)s). "
                "Nothing has been changed.",
                "%(n)s selected submissions cannot take part (%(references)s). "
                "Nothing has been changed.",
                len(plan.refused),
            )
            % {"n": len(plan.refused), "references": references},
            "ids",
        )
    # a ValidationError from any one of them rolls back what was done to the others
    for submission in plan.submissions:
        if action == STATUS:
            services.change_status(actor=actor, submission_id=submission.pk, status=status)
        else:
            services.assign_submission(
                actor=actor, submission_id=submission.pk, assignee_id=plan.assignee.pk
            )
    return plan
