from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import Connection, paginate
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
    async def webhook_subscriptions(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[SubscriptionNode]:
        return await paginate(
            info,
            WebhookSubscription.filter(active=True).order_by("created_at", "id"),
            first=first,
            after=after,
            last=last,
            before=before,
            to_node=SubscriptionNode.from_model,
        )

    @strawberry.field(extensions=[requires(READ)], description="Deliveries, newest first.")
    async def webhook_deliveries(
        self,
        info: Info,
        status: DeliveryStatus | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[DeliveryNode]:
        deliveries = WebhookDelivery.all()
        if status is not None:
            deliveries = deliveries.filter(status=status.value)
        return await paginate(
            info,
            deliveries.order_by("-created_at", "id"),
            first=first,
            after=after,
            last=last,
            before=before,
            to_node=DeliveryNode.from_model,
        )


__all__ = ["WebhookQuery"]
