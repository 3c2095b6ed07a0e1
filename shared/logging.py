"""structlog JSON logging with a correlation id that follows a request into its events.

Personal data never belongs in a log line; `scrub_personal_data` is the last line of defence
for keys that must not appear even when a developer passes them by mistake.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from contextvars import ContextVar
from typing import Any

import structlog
from structlog.contextvars import bind_contextvars

# Keys whose values are personal data: replaced, never printed.
PERSONAL_KEYS = frozenset(
    {"bsn", "given_name", "givenname", "family_name", "familyname", "birth_date", "birthdate",
     "postcode", "name", "address", "authorization", "token", "secret", "password"}
)
REDACTED = "[redacted]"
# Read for every event written; structlog's own store is read by copying the whole context.
_correlation: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def scrub_personal_data(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Replace values of personal-data keys before any renderer sees them."""
    for key in list(event_dict):
        if key.lower().replace("-", "_") in PERSONAL_KEYS:
            event_dict[key] = REDACTED
    return event_dict


def configure_logging(service: str, level: str = "INFO") -> None:
    """JSON lines on stdout, stdlib logging routed through the same pipeline."""
    shared_processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        scrub_personal_data,
    ]
    structlog.configure(
        processors=[
            *shared_processors,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        # No file given: each line goes to sys.stdout as it is then. A stream bound here would
        # outlive a test that swaps stdout (pytest's capsys and capfd close theirs at its end).
        logger_factory=structlog.PrintLoggerFactory(),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.JSONRenderer(),
            ],
            foreign_pre_chain=shared_processors,
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's access log prints request lines; our middleware logs requests without query strings.
    logging.getLogger("uvicorn.access").disabled = True
    bind_contextvars(service=service)


def get_logger(name: str | None = None) -> Any:
    """A structlog logger; context (service, correlation id) is merged in automatically."""
    return structlog.get_logger(name)


def bind_correlation(correlation_id: str) -> None:
    """Bind the correlation id for everything logged (and published) from this context."""
    _correlation.set(correlation_id)
    bind_contextvars(correlation_id=correlation_id)


def current_correlation_id() -> str | None:
    """The correlation id bound to this context, if any."""
    return _correlation.get() or None


def bind_request_context(service: str, correlation_id: str) -> None:
    """Start a request's log context: its service and correlation id.

    Both are set, never merged: they are the only keys ever bound, so a request (or a test
    client reusing one context) cannot inherit another's. Setting two keys is cheap; clearing
    the whole context first would copy it.
    """
    _correlation.set(correlation_id)
    bind_contextvars(service=service, correlation_id=correlation_id)


def info_enabled() -> bool:
    """Whether INFO lines are written (LOG_LEVEL), checked before building a per-request line."""
    return logging.getLogger().isEnabledFor(logging.INFO)
