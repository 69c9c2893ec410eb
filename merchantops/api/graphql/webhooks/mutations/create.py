from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.webhooks.types import SubscriptionNode
from merchantops.domain.webhooks import service


@strawberry.input
class CreateWebhookSubscriptionInput:
    url: str = strawberry.field(metadata=limit(max_length=2000))
    event_types: list[str] = strawberry.field(description="See webhookEventTypes; * for all.")


@strawberry.type
class WebhookSubscriptionPayload:
    subscription: SubscriptionNode | None = None
    secret: str | None = strawberry.field(
        default=None, description="The signing secret (whsec_...), shown only in this answer."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CreateWebhookSubscriptionMutation:
    @strawberry.mutation(
        extensions=[requires(TenantPermission("webhook", "write"))],
        description="Subscribe a URL; deliveries are signed in the Standard Webhooks layout.",
    )
    async def create_webhook_subscription(
        self, info: Info, input: CreateWebhookSubscriptionInput
    ) -> WebhookSubscriptionPayload:
        subscription = await service.subscribe(
            input.url,
            input.event_types,
            allow_private=info.context.settings.webhooks_may_target_private_addresses,
        )
        return WebhookSubscriptionPayload(
            subscription=SubscriptionNode.from_model(subscription), secret=subscription.secret
        )


__all__ = [
    "CreateWebhookSubscriptionInput",
    "CreateWebhookSubscriptionMutation",
    "WebhookSubscriptionPayload",
]
