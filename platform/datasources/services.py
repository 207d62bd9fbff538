"""Configuring data sources (tenant admins) and testing one. Fetching for forms is `fetching`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from portalwerk.platform.audit.actions import Action
from portalwerk.platform.audit.recording import record
from portalwerk.platform.authz.actors import Actor
from portalwerk.platform.authz.capabilities import can_manage_data_sources
from portalwerk.platform.datasources import fetching, mapping
from portalwerk.platform.datasources.base import SourceError, describe
from portalwerk.platform.datasources.errors import DataSourceErrorCode as Code
from portalwerk.platform.datasources.models import KEY_PATTERN, DataSource
from portalwerk.platform.datasources.registry import sources


def _require(actor: Actor) -> None:
    if not can_manage_data_sources(actor):
        raise Code.NOT_ALLOWED.error(_("You may not configure data sources."))


def config_form(plugin_name: str, data: Mapping | None = None, source: DataSource | None = None):
    """The plugin's settings form: bound to `data`, or showing a saved source (secrets not)."""
    plugin = sources.get(plugin_name)
    if data is not None:
        return plugin.config_form(data=data, prefix="config")
    initial = {}
    if source is not None:
        initial = {k: v for k, v in source.config.items() if k not in plugin.secret_fields}
    return plugin.config_form(initial=initial, prefix="config")


def _fallback(raw: Any) -> list[dict]:
    message = _("Enter one fallback option a line, as “value | label”.")
    if not isinstance(raw, list) or len(raw) > settings.PORTALWERK_DATASOURCE_MAX_OPTIONS:
        raise Code.INVALID_FALLBACK.error(message, "fallback")
    found, seen = [], set()
    for item in raw:
        value = mapping._text(item.get("value")) if isinstance(item, Mapping) else None
        if not value or len(value) > mapping.MAX_VALUE_LENGTH or value in seen:
            raise Code.INVALID_FALLBACK.error(message, "fallback")
        seen.add(value)
        label = mapping._label(item.get("label"), value)
        found.append({"value": value, "label": label})
    return found


@transaction.atomic
def save_source(
    *,
    actor: Actor,
    source: DataSource | None,
    key: str,
    name: str,
    plugin: str,
    config: Mapping,
    timeout_seconds: int,
    cache_seconds: int,
    fallback_options: list,
    is_active: bool = True,
) -> DataSource:
    """Create (`source` None) or change a data source. `config` is the plugin form's raw data
    (keys with the form's "config-" prefix); a secret left empty keeps the saved one."""
    import re

    _require(actor)
    if not sources.is_enabled(plugin):
        raise Code.UNKNOWN_PLUGIN.error(_("This kind of data source is not available."), "plugin")
    if source is not None and source.plugin != plugin:
        raise Code.UNKNOWN_PLUGIN.error(_("The kind of a data source cannot change."), "plugin")
    key = (key or "").strip()
    if not re.match(KEY_PATTERN, key):
        raise Code.INVALID_KEY.error(
            _("Enter a key of lower case letters, digits and _, starting with a letter."), "key"
        )
    if DataSource.objects.filter(key=key).exclude(pk=getattr(source, "pk", None)).exists():
        raise Code.KEY_TAKEN.error(_("Another data source has this key."), "key")
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise Code.INVALID_NAME.error(_("Enter a name of at most 120 characters."), "name")
    top = settings.PORTALWERK_DATASOURCE_MAX_TIMEOUT_SECONDS
    if not isinstance(timeout_seconds, int) or not 1 <= timeout_seconds <= top:
        raise Code.INVALID_TIMEOUT.error(
            _("Enter a timeout from 1 to %(top)s seconds.") % {"top": top}, "timeout_seconds"
        )
    if not isinstance(cache_seconds, int) or not 0 <= cache_seconds <= 7 * 24 * 3600:
        raise Code.INVALID_CACHE.error(
            _("Enter a cache lifetime from 0 to 604800 seconds (a week)."), "cache_seconds"
        )
    fallback = _fallback(fallback_options)
    form = config_form(plugin, data=config)
    if not form.is_valid():
        raise Code.INVALID_CONFIG.error(
            [
                f"{form.fields[f].label}: {m}" if f in form.fields else m
                for f, messages in form.errors.items()
                for m in messages
            ],
            "config",
        )
    cleaned = dict(form.cleaned_data)
    secrets = sources.get(plugin).secret_fields
    for name_ in secrets:
        if not cleaned.get(name_) and source is not None:
            cleaned[name_] = source.config.get(name_, "")
    changed = source is None or cleaned != source.config
    source = source or DataSource(plugin=plugin)
    source.key, source.name, source.config = key, name, cleaned
    source.timeout_seconds, source.cache_seconds = timeout_seconds, cache_seconds
    source.fallback_options, source.is_active = fallback, bool(is_active)
    if changed:  # what was kept came from other settings
        source.result, source.fetched_at = None, None
    source.save()
    record(actor, Action.DATASOURCE_SAVED, source, plugin=plugin)
    return source


@dataclass
class TestOutcome:
    ok: bool
    problem: str = ""  # in plain words
    detail: str = ""  # technical
    options: list[dict] = field(default_factory=list)
    document: str = ""  # a values source's answer, shortened, for the admin to read


def test_source(*, actor: Actor, source: DataSource) -> TestOutcome:
    """Ask the source now (not the cache) and say what it answered. Keeps nothing."""
    _require(actor)
    record(actor, Action.DATASOURCE_TESTED, source)
    try:
        result = fetching.fetch_now(source)
    except SourceError as exc:
        return TestOutcome(False, describe(exc.problem), exc.detail)
    if "options" in result:
        shown = [{"value": o["value"], "label": mapping.label_text(o)} for o in result["options"]]
        return TestOutcome(True, options=shown)
    import json

    text = json.dumps(result["document"], ensure_ascii=False, indent=2)
    return TestOutcome(True, document=text[:2000] + ("…" if len(text) > 2000 else ""))
