"""Who may open the console: operators signed in on the base host. Others signed in get the
refusal page (403); visitors who are not signed in are sent to the sign-in page."""

from __future__ import annotations

import functools

from django.shortcuts import render

from portalwerk.platform.authz.actors import actor_for
from portalwerk.platform.authz.capabilities import can_operate_platform
from portalwerk.platform.backoffice import sign_in_redirect


def operator_page(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        tenant = getattr(request, "tenant", None)
        actor = actor_for(request)
        if not actor.is_signed_in:
            return sign_in_redirect(request)
        if tenant is None or not tenant.is_platform or not can_operate_platform(actor):
            return render(request, "console/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped
