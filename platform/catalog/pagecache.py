"""A short-lived cache of the public catalogue pages, for anonymous visitors.

The pages are the same for every anonymous visitor of a tenant in one language, except for the
CSRF token of the language switch and the CSP nonce of the brand colour: they are rendered as
placeholders, the page is cached, and each response gets the visitor's own. Signed-in visitors,
visitors with pending messages and non-GET requests bypass the cache.

The pages live in the `pages` cache, which every web process shares: Django's database cache on
an unlogged table in the public schema (`SharedPageCache`; a per-process cache of 300 pages gave
0 hits at 400 distinct pages, issue 17). Keys carry the tenant's schema (the cache's key
function, as for every cache here). Each tenant has a generation in the same cache, replaced on
every change of its catalogue (in the transaction of the change); a page is served only if it
was rendered under the current generation, which is read in the same statement as the page. So
every process shows a change of the tenant's own catalogue at once; what is read from elsewhere
(the district's services on a member's portal) shows when the page expires, after
PORTALWERK_PAGE_CACHE_SECONDS at most.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

CSRF_PLACEHOLDER = "__portalwerk_csrf_token__"
NONCE_PLACEHOLDER = "__portalwerk_csp_nonce__"
GENERATION_KEY = "catalog:generation"
ALIAS = "pages"


class SharedPageCache(DatabaseCache):
    """Django's database cache, culling the pages closest to expiry first once it holds more
    than MAX_ENTRIES (Django's own culls by key order, which would always empty the tenants
    whose schema names sort first: keys start with the schema)."""

    def _cull(self, db, cursor, now, num):
        table = connections[db].ops.quote_name(self._table)
        cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [now])
        remaining = num - cursor.rowcount
        if remaining > self._max_entries:
            cursor.execute(
                f"DELETE FROM {table} WHERE cache_key IN "
                f"(SELECT cache_key FROM {table} ORDER BY expires LIMIT %s)",
                [remaining // self._cull_frequency or 1],
            )


def store():
    return caches[ALIAS]


def bump() -> None:
    """Forget this tenant's cached pages in every process (call after any change of the
    catalogue; inside the change's transaction, it takes effect when that commits)."""
    store().set(GENERATION_KEY, secrets.token_hex(8), None)


def clear() -> None:
    """Forget every tenant's cached pages."""
    store().clear()


def _generation(found: dict) -> str:
    generation = found.get(GENERATION_KEY)
    if generation is None:  # first page of the tenant, or culled
        pages = store()
        pages.add(GENERATION_KEY, secrets.token_hex(8), None)
        generation = pages.get(GENERATION_KEY)
    return generation


def _cacheable(request) -> bool:
    if request.method != "GET" or request.user.is_authenticated:
        return False
    return len(get_messages(request)) == 0


def _key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"catalog:page:{translation.get_language()}:{path}"


def public_page(view):
    """Serve `view`'s 200 responses from the cache for anonymous visitors."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        found = store().get_many([GENERATION_KEY, key])  # one statement
        generation = _generation(found)
        cached = found.get(key)
        if cached is None or cached[0] != generation:
            request.catalog_csrf_placeholder = True
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            html = response.content.decode(response.charset)
            cached = (generation, html, response["Content-Type"])
            store().set(key, cached)
        _generation_seen, html, content_type = cached
        if CSRF_PLACEHOLDER in html:
            html = html.replace(CSRF_PLACEHOLDER, get_token(request))
        if NONCE_PLACEHOLDER in html:
            html = html.replace(NONCE_PLACEHOLDER, str(getattr(request, "csp_nonce", "")))
        return HttpResponse(html, content_type=content_type)

    return wrapper
