"""Access links: how an applicant without an account reaches their submission.

Each receipt and each notice mail carries a fresh link, `/my/applications/link/<token>/`. The
token is random (`secrets`); the database keeps only its SHA-256, its expiry
(`PORTALWERK_SUBMISSION_LINK_DAYS` from issue, so every new notice gives another full period) and
whether it was revoked. We chose a stored hash over a stateless signed token because a link
must be revocable one by one (a forwarded mail) and all at once, and must die with its
submission; a signature alone can do neither.

Opening a link puts only the link's id into the browser session (`grant`) and redirects to the
submission's page, so the token leaves the address bar and is never logged, sent as a Referer or
stored elsewhere. Every later request re-checks the link row (`holder_for`), so revoking or expiry
takes effect at once, also for sessions that opened it before.

Tokens are made inside the mail jobs (`issue`), never passed as job arguments, which the queue
stores."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from portalwerk.platform.authz.actors import Actor, link_holder
from portalwerk.platform.forms.models import Submission, SubmissionLink

SESSION_KEY = "submission_links"
#: longer than any token we make; anything longer is not looked up
MAX_TOKEN_LENGTH = 100
#: grants one browser session keeps (the oldest goes first)
MAX_GRANTS = 20


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_days() -> int:
    return settings.PORTALWERK_SUBMISSION_LINK_DAYS


def issue(submission: Submission) -> str:
    """A new link for `submission`; returns its path (`/my/applications/link/<token>/`)."""
    token = secrets.token_urlsafe(32)
    SubmissionLink.objects.create(
        submission=submission,
        token_hash=token_hash(token),
        expires_at=timezone.now() + timedelta(days=link_days()),
    )
    return f"/my/applications/link/{token}/"


def find(token: str) -> tuple[SubmissionLink | None, bool]:
    """(the link row of `token`, whether it is still usable). A token we never made, a revoked
    link and one of a purged submission are all (None, False); an expired one is (row, False),
    so that the page can say "expired" rather than "wrong"."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None, False
    link = (
        SubmissionLink.objects.select_related("submission")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if link is None or link.submission.anonymised_at is not None:
        return None, False
    return link, link.expires_at > timezone.now()


def usable(link_ids) -> dict[str, int]:
    """{reference: link id} of those of `link_ids` that still open their submission."""
    ids = [i for i in link_ids if isinstance(i, int)]
    if not ids:
        return {}
    rows = SubmissionLink.objects.filter(
        pk__in=ids,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        submission__anonymised_at__isnull=True,
    ).values_list("submission__reference", "pk")
    return dict(rows)


def grant(session, link: SubmissionLink) -> None:
    """Remember in this browser session that it opened `link`."""
    ids = [i for i in session.get(SESSION_KEY, []) if i != link.pk]
    session[SESSION_KEY] = [*ids[-(MAX_GRANTS - 1) :], link.pk]


def granted_references(session) -> dict[str, int]:
    return usable(session.get(SESSION_KEY, [])) if session is not None else {}


def holder_for(session, reference: str) -> Actor | None:
    """The link-holder actor of `reference` when this session opened one of its links that is
    still valid, else None."""
    if session is None or not session.get(SESSION_KEY):
        return None
    if reference in granted_references(session):
        return link_holder(reference)
    return None
