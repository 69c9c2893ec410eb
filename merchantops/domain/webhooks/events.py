"""Webhooks emit no events; their subscriptions are named in audit entries."""

from __future__ import annotations

EVENTS: tuple[str, ...] = ()

# What its stored records call its objects -> the GraphQL type (`tenants/global_ids.py`).
ID_KINDS: dict[str, str] = {"webhook": "WebhookSubscription"}

__all__ = ["EVENTS", "ID_KINDS"]
