"""Subscribing partners' URLs, fanning events out to them, and delivering each one signed.

Deliveries are retried with exponential backoff on 5xx answers, timeouts and connection
errors, never on 4xx (the receiver refused the message; sending it again changes nothing).
Every attempt is recorded. URLs that resolve to loopback, private, link-local or otherwise
non-public addresses are refused unless the deployment allows them (development), both when
subscribing and again before each delivery, since DNS answers change.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import httpx
from tortoise.transactions import in_transaction

from merchantops.domain.webhooks.errors import DeliveryFailed
from merchantops.domain.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from merchantops.domain.webhooks.signing import new_secret, sign
from merchantops.errors import InvalidInput, NotFound
from merchantops.observability import metrics
from merchantops.rules.evaluation import MaskingPolicies
from merchantops.rules.masking import Reader, mask_json
from merchantops.tenants import audit
from merchantops.tenants.audit import canonical_json
from merchantops.tenants.context import current_tenant_id
from merchantops.tenants.global_ids import with_public_ids
from merchantops.tenants.jobs import JobContext, JobFunction
from merchantops.tenants.models import OutboxEvent
from merchantops.tenants.outbox import known_event_types

DELIVER_JOB = "deliver_webhook"
MAX_SUBSCRIPTIONS_PER_TENANT = 50


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    timeout_seconds: float = 10.0
    allow_private_targets: bool = False


async def check_target(url: str, *, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidInput("A webhook URL is an absolute http(s) URL.", field="url")
    if allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, port)
    except OSError as error:
        raise InvalidInput(f"'{parts.hostname}' does not resolve.", field="url") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            raise InvalidInput(
                f"'{parts.hostname}' resolves to {address}, which is not a public address.",
                field="url",
            )


async def subscribe(
    url: str, event_types: Iterable[str], *, allow_private: bool
) -> WebhookSubscription:
    types = sorted(set(event_types))
    unknown = [t for t in types if t not in known_event_types() and t != "*"]
    if not types or unknown:
        known = ", ".join(sorted(known_event_types()))
        raise InvalidInput(f"Subscribe to one or more of: {known}, or *.", field="eventTypes")
    await check_target(url, allow_private=allow_private)
    if await WebhookSubscription.filter(active=True).count() >= MAX_SUBSCRIPTIONS_PER_TENANT:
        raise InvalidInput(
            f"A tenant has at most {MAX_SUBSCRIPTIONS_PER_TENANT} webhook subscriptions."
        )
    async with in_transaction():
        subscription = await WebhookSubscription.create(
            url=url, event_types=types, secret=new_secret()
        )
        await audit.record(
            "webhook.subscribe", "webhook", subscription.id, after={"url": url, "events": types}
        )
    return subscription


async def unsubscribe(id: UUID) -> WebhookSubscription:
    subscription = await WebhookSubscription.get_or_none(id=id)
    if subscription is None:
        raise NotFound("No webhook subscription with this id.", field="id")
    async with in_transaction():
        subscription.active = False
        await subscription.save(update_fields=["active"])
        await audit.record("webhook.unsubscribe", "webhook", id, before={"url": subscription.url})
    return subscription


# Webhook bodies leave the company: they are masked as for a caller holding only this role,
# so a tenant's masking rules decide what partners see (`roles: [webhook]` to show more).
WEBHOOK_ROLE = "webhook"
PARTNERS = Reader(roles=frozenset({WEBHOOK_ROLE}))


async def fan_out(
    ctx: JobContext, payload: dict[str, Any], masking: MaskingPolicies | None = None
) -> None:
    """Create one delivery per matching subscription of an event, and queue each.

    The delivery keeps the event's payload with classified keys masked for `WEBHOOK_ROLE` and
    its ids as the API's global ids (the object of `<kind>.<verb>` is `<kind>`)."""
    event = await OutboxEvent.get_or_none(id=payload["event_id"])
    if event is None:
        return
    table = await (masking or MaskingPolicies()).table(current_tenant_id())
    body = mask_json(
        with_public_ids(event.payload, event.type.partition(".")[0]),
        lambda level: table.decide(level, PARTNERS),
    )
    subscriptions = [
        s
        for s in await WebhookSubscription.filter(active=True).order_by("created_at")
        if event.type in s.event_types or "*" in s.event_types
    ]
    await ctx.progress(0, len(subscriptions))
    for done, subscription in enumerate(subscriptions, start=1):
        delivery, _ = await WebhookDelivery.get_or_create(
            subscription=subscription,
            event_id=event.id,
            defaults={"event_type": event.type, "payload": body},
        )
        if delivery.status == DeliveryStatus.PENDING:
            await ctx.enqueue(
                DELIVER_JOB,
                key=f"delivery:{delivery.id}",
                payload={"delivery_id": str(delivery.id)},
            )
        await ctx.progress(done, len(subscriptions))


def deliver_job(config: WebhookConfig, client: httpx.AsyncClient | None = None) -> JobFunction:
    async def deliver(ctx: JobContext, payload: dict[str, Any]) -> None:
        await _deliver(ctx, UUID(payload["delivery_id"]), config, client)

    return deliver


async def _deliver(
    ctx: JobContext, delivery_id: UUID, config: WebhookConfig, client: httpx.AsyncClient | None
) -> None:
    delivery = await WebhookDelivery.get_or_none(id=delivery_id).prefetch_related("subscription")
    if delivery is None or delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
        return
    subscription = delivery.subscription
    if not subscription.active:
        await _finish(delivery, DeliveryStatus.FAILED)
        return
    try:
        await check_target(subscription.url, allow_private=config.allow_private_targets)
    except InvalidInput as refused:
        await _attempt(delivery, None, refused.message, 0)
        await _finish(delivery, DeliveryStatus.FAILED)
        metrics.webhook_delivery("failed")
        return
    body = canonical_json(
        {
            "id": str(delivery.event_id),
            "type": delivery.event_type,
            "timestamp": datetime.now(UTC).isoformat(),
            "data": delivery.payload,
        }
    ).encode()
    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "user-agent": "MerchantOps-Webhooks/1",
        "webhook-id": str(delivery.id),
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(subscription.secret, str(delivery.id), timestamp, body),
    }
    started = time.perf_counter()
    code: int | None = None
    error: str | None = None
    try:
        if client is None:
            async with httpx.AsyncClient(timeout=config.timeout_seconds) as own:
                response = await own.post(subscription.url, content=body, headers=headers)
        else:
            response = await client.post(
                subscription.url, content=body, headers=headers, timeout=config.timeout_seconds
            )
        code = response.status_code
    except httpx.HTTPError as failure:
        error = f"{type(failure).__name__}: {failure}"
    await _attempt(delivery, code, error, int((time.perf_counter() - started) * 1000))
    if code is not None and 200 <= code < 300:
        await _finish(delivery, DeliveryStatus.DELIVERED)
        metrics.webhook_delivery("delivered")
    elif code is not None and 300 <= code < 500:
        await _finish(delivery, DeliveryStatus.FAILED)
        metrics.webhook_delivery("failed")
    else:
        if ctx.is_last_try:
            await _finish(delivery, DeliveryStatus.DEAD)
        metrics.webhook_delivery("dead" if ctx.is_last_try else "retrying")
        raise DeliveryFailed(error or f"receiver answered {code}")


async def _attempt(
    delivery: WebhookDelivery, code: int | None, error: str | None, duration_ms: int
) -> None:
    delivery.attempts += 1
    delivery.last_status_code = code
    await WebhookAttempt.create(
        delivery=delivery,
        number=delivery.attempts,
        status_code=code,
        error=error,
        duration_ms=duration_ms,
    )
    await delivery.save(update_fields=["attempts", "last_status_code", "updated_at"])


async def _finish(delivery: WebhookDelivery, status: DeliveryStatus) -> None:
    delivery.status = status
    await delivery.save(update_fields=["status", "updated_at"])


__all__ = [
    "DELIVER_JOB",
    "WEBHOOK_ROLE",
    "WebhookConfig",
    "check_target",
    "deliver_job",
    "fan_out",
    "subscribe",
    "unsubscribe",
]
