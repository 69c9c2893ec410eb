"""Data exports' events."""

from __future__ import annotations

EVENTS: tuple[str, ...] = ("data_export.queued",)
# What its stored records call its objects (event prefixes, audit targets, `<kind>_id` keys) ->
# the GraphQL type: webhook bodies and audit entries show their ids as global ids.
ID_KINDS: dict[str, str] = {
    "data_export": "DataExport",
    "export": "DataExport",
}

__all__ = ["EVENTS", "ID_KINDS"]
