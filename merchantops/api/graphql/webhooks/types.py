from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from merchantops.api.graphql.core.context import Info
from merchantops.domain.webhooks import models
from merchantops.domain.webhooks.models import WebhookAttempt

# The domain's own enum, exposed as it is: one list of values to keep.
DeliveryStatus = models.DeliveryStatus
strawberry.enum(DeliveryStatus, name="WebhookDeliveryStatus")


@strawberry.type(name="WebhookSubscription")
class SubscriptionNode(relay.Node):
    id: relay.NodeID[str]
    url: str
    event_types: list[str]
    active: bool
    created_at: datetime

    @classmethod
    def from_model(cls, subscription: models.WebhookSubscription) -> Self:
        return cls(
            id=str(subscription.id),
            url=subscription.url,
            event_types=list(subscription.event_types),
            active=subscription.active,
            created_at=subscription.created_at,
        )


@strawberry.type(name="WebhookAttempt")
class AttemptType:
    number: int
    status_code: int | None
    error: str | None
    duration_ms: int
    created_at: datetime


@strawberry.type(name="WebhookDelivery")
class DeliveryNode(relay.Node):
    id: relay.NodeID[str] = strawberry.field(description="Sent as the webhook-id header.")
    event_id: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    created_at: datetime

    @strawberry.field(description="Every attempt, first to last.")
    async def attempt_log(self, info: Info) -> list[AttemptType]:
        rows = await info.context.loaders.grouped(WebhookAttempt, "delivery_id", "number").load(
            self.id
        )
        return [
            AttemptType(
                number=row.number,
                status_code=row.status_code,
                error=row.error,
                duration_ms=row.duration_ms,
                created_at=row.created_at,
            )
            for row in rows
        ]

    @classmethod
    def from_model(cls, delivery: models.WebhookDelivery) -> Self:
        return cls(
            id=str(delivery.id),
            event_id=str(delivery.event_id),
            event_type=delivery.event_type,
            status=delivery.status,
            attempts=delivery.attempts,
            last_status_code=delivery.last_status_code,
            created_at=delivery.created_at,
        )


__all__ = ["AttemptType", "DeliveryNode", "DeliveryStatus", "SubscriptionNode"]
