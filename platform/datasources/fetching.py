"""The one way a form gets something from a data source: the cache (the last good answer on the
source's row, younger than its lifetime), else the plugin within the source's timeout and the
installation's size limits, else the last good answer however old, else the static fallback.

Failures are logged with the source's key, the problem and a technical detail, never with what
the source answered (it may name people) nor what the citizen entered."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from portalwerk.platform.datasources import mapping
from portalwerk.platform.datasources.base import Limits, Problem, SourceError
from portalwerk.platform.datasources.models import DataSource
from portalwerk.platform.datasources.registry import sources

log = logging.getLogger("portalwerk.datasources")

# How fresh what a caller gets is (the form engine's `sourcing` uses the same words):
FRESH = "fresh"  # the source's answer, just fetched or kept within the cache lifetime
STALE = "stale"  # the source failed; its last good answer, older than the lifetime
FALLBACK = "fallback"  # the source failed and never answered well; the static fallback
UNAVAILABLE = "unavailable"  # nothing to offer


@dataclass(frozen=True)
class Offered:
    options: list[dict] = field(default_factory=list)
    state: str = UNAVAILABLE


def limits_of(source: DataSource) -> Limits:
    timeout = min(source.timeout_seconds, settings.PORTALWERK_DATASOURCE_MAX_TIMEOUT_SECONDS)
    return Limits(timeout=float(timeout), max_bytes=settings.PORTALWERK_DATASOURCE_MAX_BYTES)


def fetch_now(source: DataSource) -> dict:
    """Ask the source itself and map its answer: `{"options": [...]}` when its mapping names a
    list of options, `{"document": ...}` otherwise. Raises `SourceError`."""
    try:
        plugin = sources.get(source.plugin)
    except LookupError:
        raise SourceError(
            Problem.CONFIGURATION, f"plugin {source.plugin!r} is not enabled"
        ) from None
    document = plugin.fetch(source.config, limits_of(source))
    config = source.config
    if not config.get("list_path"):
        return {"document": document}
    try:
        found = mapping.options(
            document,
            config["list_path"],
            config.get("value_key") or "id",
            config.get("label_key") or "",
            settings.PORTALWERK_DATASOURCE_MAX_OPTIONS,
        )
    except mapping.TooManyOptions as exc:
        raise SourceError(Problem.TOO_LARGE, str(exc)) from None
    except ValueError as exc:  # ShapeError, or a path that no longer parses
        raise SourceError(Problem.WRONG_SHAPE, str(exc)) from None
    return {"options": found}


def _keep(source: DataSource, **values) -> None:
    """Write onto the source's row unless another request holds it (it is writing the same)."""
    try:
        with transaction.atomic():
            locked = (
                DataSource.objects.select_for_update(skip_locked=True)
                .filter(pk=source.pk)
                .values_list("pk", flat=True)
            )
            if list(locked):
                DataSource.objects.filter(pk=source.pk).update(**values)
    except DatabaseError:  # never let keeping the cache break the citizen's request
        log.exception("data source %s: the answer could not be kept", source.key)


def answer(source: DataSource) -> tuple[dict | None, str]:
    """The source's mapped answer and how fresh it is (a `sourcing` state)."""
    now = timezone.now()
    lifetime = timedelta(seconds=source.cache_seconds)
    if source.result is not None and source.fetched_at and now - source.fetched_at < lifetime:
        return source.result, FRESH
    try:
        result = fetch_now(source)
    except SourceError as exc:
        log.warning(
            "data source %s (%s) failed: %s %s", source.key, source.plugin, exc.problem, exc.detail
        )
        _keep(source, last_problem=exc.problem, last_detail=exc.detail, last_failed_at=now)
        if source.result is not None:
            return source.result, STALE
        return None, UNAVAILABLE
    _keep(source, result=result, fetched_at=now, last_problem="", last_detail="")
    return result, FRESH


def _active(key: str) -> DataSource | None:
    return DataSource.objects.filter(key=key, is_active=True).first()


def options(key: str) -> Offered:
    source = _active(key)
    if source is None:
        log.warning("data source %s: no active source of that key", key)
        return Offered()
    result, state = answer(source)
    if result is not None and "options" in result:
        return Offered(list(result["options"]), state)
    if result is not None:
        log.warning("data source %s: the mapping names no list of options", key)
    if source.fallback_options:
        return Offered(list(source.fallback_options), FALLBACK)
    return Offered()


def value(key: str, path: str) -> Any:
    source = _active(key)
    if source is None:
        log.warning("data source %s: no active source of that key", key)
        return None
    result, _state = answer(source)
    if result is None:
        return None
    return mapping.value(result.get("document", result), path)
