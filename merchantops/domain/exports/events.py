"""Data exports' events."""

from __future__ import annotations

EVENTS: tuple[str, ...] = ("data_export.queued",)

__all__ = ["EVENTS"]
