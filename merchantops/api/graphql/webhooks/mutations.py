from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import DeletePayload, UserError, user_errors
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.webhooks.types import SubscriptionNode
from merchantops.domain.webhooks import service
from merchantops.errors import DomainError

WRITE = TenantPermission("webhook", "write")


@strawberry.input
class CreateWebhookSubscriptionInput:
    url: str = strawberry.field(metadata=limit(max_length=2000))
    event_types: list[str] = strawberry.field(description="See webhookEventTypes; * for all.")


@strawberry.input
class DeleteWebhookSubscriptionInput:
    id: strawberry.ID


@strawberry.type
class WebhookSubscriptionPayload:
    subscription: SubscriptionNode | None = None
    secret: str | None = strawberry.field(
        default=None, description="The signing secret (whsec_...), shown only in this answer."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Subscribe a URL; deliveries are signed in the Standard Webhooks layout.",
    )
    async def create_webhook_subscription(
        self, info: Info, input: CreateWebhookSubscriptionInput
    ) -> WebhookSubscriptionPayload:
        try:
            subscription = await service.subscribe(
                input.url,
                input.event_types,
                allow_private=info.context.settings.webhooks_may_target_private_addresses,
            )
        except DomainError as error:
            return WebhookSubscriptionPayload(errors=user_errors(error))
        return WebhookSubscriptionPayload(
            subscription=SubscriptionNode.from_model(subscription), secret=subscription.secret
        )

    @strawberry.mutation(extensions=[requires(WRITE)], description="Stop deliveries to a URL.")
    async def delete_webhook_subscription(
        self, input: DeleteWebhookSubscriptionInput
    ) -> DeletePayload:
        try:
            await service.unsubscribe(decode_id(input.id, "WebhookSubscription"))
        except DomainError as error:
            return DeletePayload(errors=user_errors(error))
        return DeletePayload(deleted_id=input.id)


__all__ = ["WebhookMutation"]
