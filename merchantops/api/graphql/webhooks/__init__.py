"""Webhook subscriptions and their delivery log."""

from __future__ import annotations

from merchantops.api.graphql.webhooks.mutations import WebhookMutation as Mutation
from merchantops.api.graphql.webhooks.queries import WebhookQuery as Query

__all__ = ["Mutation", "Query"]
