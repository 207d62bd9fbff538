"""Sets `request.actor`, lazily, so that a request that never asks does not build one. Placed
after Django's AuthenticationMiddleware, whose `request.user` it reads."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from portalwerk.platform.authz.actors import from_user


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read request.user at first use, not now: a sign-in or sign-out in the view replaces it.
        request.actor = SimpleLazyObject(lambda: from_user(request.user))
        return self.get_response(request)
