"""Calendars emit no events; audit entries name their calendars."""

from __future__ import annotations

EVENTS: tuple[str, ...] = ()
# What its stored records call its objects -> the GraphQL type (`tenants/global_ids.py`).
ID_KINDS: dict[str, str] = {"calendar": "BusinessCalendar"}

__all__ = ["EVENTS", "ID_KINDS"]
