"""Governance's events: risk alerts raised, approvals requested and decided."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "risk_alert.raised",
    "approval.requested",
    "approval.decided",
)

__all__ = ["EVENTS"]
