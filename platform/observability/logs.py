"""structlog set up for Portalwerk: every line (ours, Django's, procrastinate's, any library's)
goes through the same processors and comes out as one JSON object, or as a readable console
line where PORTALWERK_LOG_FORMAT=console (the demo's default).

What keeps personal data out, line by line:
- request lines name the URL route (`forms/resume/<str:token>/`), never the path or query string,
  which can hold tokens and reference numbers (observability.middleware);
- the client address is cut to its network, user agents and user ids are dropped;
- procrastinate's own lines name the job (id, task), never its arguments (`call_string`);
- a crashed GraphQL resolver is named by its path, not by strawberry's message, which quotes
  the document;
- exceptions keep their types and frames but not their messages, which often quote input
  (`Key (email)=(…) already exists`); Sentry gets those, scrubbed (platform/errors.py).
"""

from __future__ import annotations

import sys
import traceback

import structlog

from portalwerk.platform.audit import context as audit_context
from portalwerk.platform.observability import context

# Keys a library may put on a line that can carry personal data.
PERSONAL_KEYS = frozenset(
    {
        "ip",
        "user_agent",
        "user_id",
        "email",
        "name",
        "answers",
        "variables",
        "query_string",
        "correlation_id",
    }
)
FORMATS = ("json", "console")


def add_origin(logger, method_name: str, event_dict: dict) -> dict:
    for key, value in context.current().items():
        event_dict.setdefault(key, value)
    # the audit trail's id of the request or job, which a tenant job sets for itself
    request_id = audit_context.current()
    if request_id:
        event_dict.setdefault("request_id", request_id)
    return event_dict


def drop_personal_keys(logger, method_name: str, event_dict: dict) -> dict:
    for key in PERSONAL_KEYS.intersection(event_dict):
        del event_dict[key]
    return event_dict


def name_procrastinate_actions(logger, method_name: str, event_dict: dict) -> dict:
    """procrastinate writes a job's arguments into its messages (`call_string`); its `action`
    and the job's id and task say the same without them."""
    record = event_dict.get("_record")
    action = getattr(record, "action", None)
    if record is None or not record.name.startswith("procrastinate") or not action:
        return event_dict
    event_dict["event"] = action
    job = getattr(record, "job", None)
    if isinstance(job, dict):
        event_dict.setdefault("job_id", job.get("id"))
        event_dict.setdefault("task", job.get("task_name"))
    duration = getattr(record, "duration", None)
    if isinstance(duration, int | float):
        event_dict["duration_ms"] = round(duration * 1000, 1)
    return event_dict


def name_graphql_crashes(logger, method_name: str, event_dict: dict) -> dict:
    """strawberry logs a crashed resolver with the GraphQL error as its message, which quotes
    the cause's message and the document (literals a client typed in); the line names the
    field instead, and keeps the traceback."""
    record = event_dict.get("_record")
    if record is None or record.name != "strawberry.execution":
        return event_dict
    event_dict["event"] = "graphql_resolver_failed"
    path = getattr(record.msg, "path", None)
    event_dict["path"] = ".".join(str(part) for part in path) if path else "-"
    return event_dict


def _exception_text(error: BaseException) -> str:
    chain: list[str] = []
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        frames = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))
        chain.append(f"{frames}{type(error).__module__}.{type(error).__qualname__}")
        error = error.__cause__ or error.__context__
    return "\n".join(reversed(chain))


def exception_without_message(logger, method_name: str, event_dict: dict) -> dict:
    """Replaces exc_info by the traceback's frames and exception types (causes first, as
    Python prints a chain), leaving out every exception's message."""
    exc_info = event_dict.pop("exc_info", None)
    event_dict.pop("stack_info", None)
    if exc_info is True:
        exc_info = sys.exc_info()
    if isinstance(exc_info, BaseException):
        error = exc_info
    elif isinstance(exc_info, tuple) and exc_info[1] is not None:
        error = exc_info[1]
    else:
        return event_dict
    event_dict["exception"] = _exception_text(error)
    return event_dict


SHARED = [
    structlog.contextvars.merge_contextvars,
    add_origin,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure() -> None:
    """structlog's own loggers hand their lines to the standard library's logging, whose
    handlers (LOGGING below) format them with the same processors as everybody else's."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def formatter(log_format: str) -> dict:
    renderer = (
        structlog.dev.ConsoleRenderer(colors=False)
        if log_format == "console"
        else structlog.processors.JSONRenderer(sort_keys=False)
    )
    return {
        "()": structlog.stdlib.ProcessorFormatter,
        "foreign_pre_chain": [*SHARED, name_procrastinate_actions, name_graphql_crashes],
        "processors": [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            drop_personal_keys,
            exception_without_message,
            renderer,
        ],
    }


def logging_config(*, log_format: str, level: str) -> dict:
    if log_format not in FORMATS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"PORTALWERK_LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}"
        )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": formatter(log_format)},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Django's own request lines name the path ("Not Found: /forms/resume/<token>/");
            # the request log (observability.middleware) says the same with the route.
            "django.request": {"level": "CRITICAL"},
            "django.server": {"level": "CRITICAL"},
            "procrastinate": {"level": "WARNING"},
        },
    }
