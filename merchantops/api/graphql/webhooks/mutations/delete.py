from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.errors import DeletePayload
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.domain.webhooks import service


@strawberry.input
class DeleteWebhookSubscriptionInput:
    id: strawberry.ID


@strawberry.type
class DeleteWebhookSubscriptionMutation:
    @strawberry.mutation(
        extensions=[requires(TenantPermission("webhook", "write"))],
        description="Stop deliveries to a URL.",
    )
    async def delete_webhook_subscription(
        self, input: DeleteWebhookSubscriptionInput
    ) -> DeletePayload:
        await service.unsubscribe(decode_id(input.id, "WebhookSubscription"))
        return DeletePayload(deleted_id=input.id)


__all__ = ["DeleteWebhookSubscriptionInput", "DeleteWebhookSubscriptionMutation"]
