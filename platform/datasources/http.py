"""HTTP for data sources: a bounded read (one deadline for the whole answer, a byte limit), the
`requests` errors turned into `SourceError`s. Both built-in plugins fetch through it."""

from __future__ import annotations

import time
from contextlib import contextmanager

import requests

from portalwerk.platform.datasources.base import Limits, Problem, SourceError
from portalwerk.platform.plugins import addresses

CHUNK = 64 * 1024


def read_bounded(response: requests.Response, limits: Limits, deadline: float) -> bytes:
    """The body of a streamed response, or `SourceError` past the deadline or the byte limit
    (a server trickling an endless answer is cut off, not waited for)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise SourceError(Problem.TOO_LARGE, f"{declared} bytes declared, {limits.max_bytes} taken")
    body = bytearray()
    while True:
        # read1: what has arrived, not a full chunk; a trickle is seen at every byte
        chunk = response.raw.read1(CHUNK, decode_content=True)
        if not chunk:
            break
        body += chunk
        if len(body) > limits.max_bytes:
            raise SourceError(Problem.TOO_LARGE, f"more than {limits.max_bytes} bytes")
        if time.monotonic() > deadline:
            raise SourceError(Problem.TIMEOUT, f"answer not complete after {limits.timeout:g} s")
    return bytes(body)


@contextmanager
def http_errors(limits: Limits):
    try:
        yield
    except requests.Timeout:
        raise SourceError(Problem.TIMEOUT, f"no answer within {limits.timeout:g} s") from None
    except requests.TooManyRedirects:
        raise SourceError(Problem.SOURCE_ERROR, "too many redirects") from None
    except requests.RequestException as exc:
        raise SourceError(Problem.UNREACHABLE, type(exc).__name__) from None


def refuse_local(url: str) -> None:
    if addresses.refusal(url):
        raise SourceError(Problem.CONFIGURATION, "address on the portal's own machine")


def get(url: str, limits: Limits, headers: dict | None = None) -> bytes:
    deadline = time.monotonic() + limits.timeout
    refuse_local(url)
    with http_errors(limits), requests.Session() as session:
        # redirects are not followed: each hop would need the address check again
        with session.get(
            url, headers=headers or {}, timeout=limits.timeout, stream=True, allow_redirects=False
        ) as response:
            if response.is_redirect:
                raise SourceError(Problem.SOURCE_ERROR, f"redirect (HTTP {response.status_code})")
            if response.status_code >= 400:
                raise SourceError(Problem.SOURCE_ERROR, f"HTTP {response.status_code}")
            return read_bounded(response, limits, deadline)
