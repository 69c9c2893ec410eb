from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.webhooks.types import DeliveryNode, DeliveryStatus, SubscriptionNode
from merchantops.domain.webhooks.models import WebhookDelivery, WebhookSubscription
from merchantops.tenants.outbox import known_event_types

READ = TenantPermission("webhook", "read")


@strawberry.type
class WebhookQuery:
    @strawberry.field(extensions=[requires(READ)], description="Event types one can subscribe to.")
    def webhook_event_types(self) -> list[str]:
        return sorted(known_event_types())

    @strawberry.field(
        extensions=[requires(READ)], description="Active subscriptions, oldest first."
    )
    @paged
    async def webhook_subscriptions(
        self,
        info: Info,
        page: Page = EVERY_ROW,
    ) -> Connection[SubscriptionNode]:
        return await paginate(
            info,
            WebhookSubscription.filter(active=True).order_by("created_at", "id"),
            page,
            to_node=SubscriptionNode.from_model,
        )

    @strawberry.field(extensions=[requires(READ)], description="Deliveries, newest first.")
    @paged
    async def webhook_deliveries(
        self,
        info: Info,
        status: DeliveryStatus | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[DeliveryNode]:
        deliveries = WebhookDelivery.all()
        if status is not None:
            deliveries = deliveries.filter(status=status.value)
        return await paginate(
            info,
            deliveries.order_by("-created_at", "id"),
            page,
            to_node=DeliveryNode.from_model,
        )


__all__ = ["WebhookQuery"]
