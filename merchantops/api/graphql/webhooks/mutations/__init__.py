from __future__ import annotations

import strawberry

from merchantops.api.graphql.webhooks.mutations.create import CreateWebhookSubscriptionMutation
from merchantops.api.graphql.webhooks.mutations.delete import DeleteWebhookSubscriptionMutation


@strawberry.type
class WebhookMutation(CreateWebhookSubscriptionMutation, DeleteWebhookSubscriptionMutation):
    pass


__all__ = ["WebhookMutation"]
