"""structlog set-up: JSON lines in production, readable lines elsewhere; request ids bound."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

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


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name)
    return logger


__all__ = ["configure_logging", "get_logger"]
