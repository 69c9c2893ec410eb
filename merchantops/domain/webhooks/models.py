"""Webhook subscriptions, deliveries and every delivery attempt."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from tortoise import fields

from merchantops.tenants.base import TenantModel


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    DEAD = "dead"


class WebhookSubscription(TenantModel):
    id = fields.UUIDField(primary_key=True)
    url = fields.CharField(max_length=2000)
    event_types: list[str] = fields.JSONField(default=list)
    # The signing secret must be readable to sign, so it is stored as issued (whsec_...).
    secret = fields.CharField(max_length=100)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "webhook_subscription"


class WebhookDelivery(TenantModel):
    """One event for one subscription. Its id is the `webhook-id` receivers deduplicate on."""

    id = fields.UUIDField(primary_key=True)
    subscription: fields.ForeignKeyRelation[WebhookSubscription] = fields.ForeignKeyField(
        "merchantops.WebhookSubscription", related_name="deliveries", on_delete=fields.CASCADE
    )
    subscription_id: UUID
    event_id = fields.UUIDField()
    event_type = fields.CharField(max_length=100)
    payload: dict[str, object] = fields.JSONField(default=dict)
    status = fields.CharEnumField(DeliveryStatus, max_length=16, default=DeliveryStatus.PENDING)
    attempts = fields.IntField(default=0)
    last_status_code = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "webhook_delivery"
        unique_together = (("tenant", "subscription", "event_id"),)


class WebhookAttempt(TenantModel):
    id = fields.UUIDField(primary_key=True)
    delivery: fields.ForeignKeyRelation[WebhookDelivery] = fields.ForeignKeyField(
        "merchantops.WebhookDelivery", related_name="attempt_log", on_delete=fields.CASCADE
    )
    delivery_id: UUID
    number = fields.IntField()
    status_code = fields.IntField(null=True)
    error = fields.TextField(null=True)
    duration_ms = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "webhook_attempt"


__all__ = ["DeliveryStatus", "WebhookAttempt", "WebhookDelivery", "WebhookSubscription"]
