"""structlog set-up: JSON lines in production, readable lines elsewhere; request ids bound."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

from merchantops.observability import tracing
from merchantops.rules.masking import MaskingTable, Reader, mask_json


def configure_logging(
    *, json: bool, level: int = logging.INFO, stream: TextIO | None = None
) -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            add_trace_ids,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            mask_personal_data,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=stream or sys.stderr),
        cache_logger_on_first_use=False,
    )


def add_trace_ids(
    logger: object, method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: the `trace_id` and `span_id` of the span the line is written in,
    when tracing is on (`observability/tracing.py`), so a log line leads to its trace."""
    ids = tracing.current_ids()
    if ids is not None:
        event.setdefault("trace_id", ids[0])
        event.setdefault("span_id", ids[1])
    return event


# Logs are read by operators, not by anyone whose duty needs personal data, nor by the person
# the data is about: classified keys are masked by the masking defaults (a table with no
# rules: personal data redacted), for a reader holding no role.
_LOG_TABLE = MaskingTable.compile(None)
_OPERATORS = Reader()


def mask_personal_data(
    logger: object, method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: classified keys (email, phone, ...) anywhere in the event, masked."""
    masked: MutableMapping[str, Any] = mask_json(
        dict(event), lambda level: _LOG_TABLE.decide(level, _OPERATORS)
    )
    return masked


def uvicorn_log_config(*, json: bool, level: str = "INFO") -> dict[str, Any] | None:
    """uvicorn's `log_config`: its own lines (startup, errors, access) as JSON like ours.

    None outside production: uvicorn's readable default.
    """
    if not json:
        return None
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": structlog.stdlib.ProcessorFormatter,
                # uvicorn's access line is written inside the request: its request id and
                # trace id join it to the request's other lines
                "foreign_pre_chain": [
                    structlog.contextvars.merge_contextvars,
                    add_trace_ids,
                    structlog.stdlib.add_log_level,
                    structlog.stdlib.add_logger_name,
                    structlog.processors.TimeStamper(fmt="iso", utc=True),
                    structlog.processors.format_exc_info,
                ],
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    mask_personal_data,
                    structlog.processors.JSONRenderer(),
                ],
            }
        },
        "handlers": {"default": handler},
        "loggers": {
            name: {"handlers": ["default"], "level": level, "propagate": False}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
    }


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name)
    return logger


__all__ = ["add_trace_ids", "configure_logging", "get_logger", "uvicorn_log_config"]
