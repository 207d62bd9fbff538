"""A short-lived cache of the public catalogue pages, for anonymous visitors.

The pages are the same for every anonymous visitor of a tenant in one language, except for the
CSRF token of the language switch and the CSP nonce of the brand colour: they are rendered as
placeholders, the page is cached, and each response gets the visitor's own. Signed-in visitors,
visitors with pending messages and non-GET requests bypass the cache.

Keys carry the tenant's schema (the cache's key function) and a catalogue generation that the
back office raises on every change, so this process shows a change at once. Other processes
(with a per-process cache) show it when their entry expires, after PORTALWERK_TENANT_CACHE_SECONDS
at most -- the same promise as the host routing cache.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

CSRF_PLACEHOLDER = "__portalwerk_csrf_token__"
NONCE_PLACEHOLDER = "__portalwerk_csp_nonce__"
GENERATION_KEY = "catalog:generation"


def bump() -> None:
    """Forget this tenant's cached pages (call after any change of the catalogue)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def _cacheable(request) -> bool:
    if request.method != "GET" or request.user.is_authenticated:
        return False
    return len(get_messages(request)) == 0


def _key(request) -> str:
    generation = cache.get(GENERATION_KEY, 0)
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"catalog:page:{generation}:{translation.get_language()}:{path}"


def public_page(view):
    """Serve `view`'s 200 responses from the cache for anonymous visitors."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        cached = cache.get(key)
        if cached is None:
            request.catalog_csrf_placeholder = True
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            cached = (response.content.decode(response.charset), response["Content-Type"])
            cache.set(key, cached, settings.PORTALWERK_TENANT_CACHE_SECONDS)
        html, content_type = cached
        if CSRF_PLACEHOLDER in html:
            html = html.replace(CSRF_PLACEHOLDER, get_token(request))
        if NONCE_PLACEHOLDER in html:
            html = html.replace(NONCE_PLACEHOLDER, str(getattr(request, "csp_nonce", "")))
        return HttpResponse(html, content_type=content_type)

    return wrapper
