"""Signed webhook deliveries to a real local receiver, with retries and an attempt log."""

from __future__ import annotations

import json

import pytest

from merchantops.domain.webhooks import service, signing
from merchantops.domain.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from merchantops.errors import InvalidInput
from merchantops.settings import Settings
from merchantops.tenants import jobs as job_service
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.global_ids import parse_global_id
from merchantops.tenants.models import JobRecord, JobStatus
from merchantops.tenants.org import departments
from merchantops.workers.embedding import in_process
from merchantops.workers.inprocess import InProcessQueue
from merchantops.workers.relay import relay_outbox
from tests.factories import Shop, make_shop, principal
from tests.support.receiver import receiver
from tests.support.scrape import value

DELIVERIES = "merchantops_webhook_deliveries_total"


async def _subscribe(shop: Shop, url: str) -> WebhookSubscription:
    with tenant_scope(shop.tenant.id):
        return await service.subscribe(url, ["department.created"], allow_private=True)


async def _department_created(shop: Shop, slug: str = "b2b") -> None:
    actor = await principal(shop)
    with tenant_scope(shop.tenant.id):
        await departments.create_department(actor, slug, "B2B")


async def _deliveries(shop: Shop) -> list[WebhookDelivery]:
    with tenant_scope(shop.tenant.id):
        return list(await WebhookDelivery.all())


async def test_receiver_verifies_the_signature_of_a_delivered_event(
    db: str, jobs: InProcessQueue
) -> None:
    # given
    shop = await make_shop("acme")
    with receiver() as hook:
        subscription = await _subscribe(shop, hook.url)

        # when: a department is created and the outbox relayed
        await _department_created(shop)
        assert await relay_outbox(jobs, jobs.policy) >= 1
        await jobs.drain()

    # then
    [message] = hook.received
    assert signing.verify(subscription.secret, message.headers, message.body)
    assert not signing.verify(signing.new_secret(), message.headers, message.body)
    assert message.headers["webhook-signature"].startswith("v1,")
    assert b'"type":"department.created"' in message.body
    [delivery] = await _deliveries(shop)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
    assert message.headers["webhook-id"] == str(delivery.id)
    # the body's ids are the API's global ids, usable as arguments
    data = json.loads(message.body)["data"]
    assert parse_global_id(data["id"])[0] == "Department"


async def test_receiver_failing_three_times_gets_the_event_again_each_time(
    db: str, jobs: InProcessQueue
) -> None:
    shop = await make_shop("acme")
    with receiver([500, 502, 503]) as hook:
        await _subscribe(shop, hook.url)
        await _department_created(shop)
        await relay_outbox(jobs, jobs.policy)
        await jobs.drain()

    assert len(hook.received) == 4
    assert len({m.headers["webhook-id"] for m in hook.received}) == 1
    [delivery] = await _deliveries(shop)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 4)
    with tenant_scope(shop.tenant.id):
        codes = [a.status_code for a in await WebhookAttempt.all().order_by("number")]
    assert codes == [500, 502, 503, 200]


async def test_client_error_is_not_retried(db: str, jobs: InProcessQueue) -> None:
    shop = await make_shop("acme")
    with receiver([410]) as hook:
        await _subscribe(shop, hook.url)
        await _department_created(shop)
        await relay_outbox(jobs, jobs.policy)
        await jobs.drain()

    assert len(hook.received) == 1
    [delivery] = await _deliveries(shop)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)


async def test_delivery_that_never_succeeds_ends_dead_and_can_be_replayed(
    db: str, settings: Settings, jobs: InProcessQueue
) -> None:
    # given: a receiver failing more often than the retry policy allows
    shop = await make_shop("acme")
    counted = {o: value(DELIVERIES, outcome=o) for o in ("retrying", "dead", "delivered")}
    with receiver([500] * settings.job_max_tries) as hook:
        await _subscribe(shop, hook.url)
        await _department_created(shop)
        await relay_outbox(jobs, jobs.policy)
        await jobs.drain()

        # then: dead, in the dead-letter list
        [delivery] = await _deliveries(shop)
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.DEAD, settings.job_max_tries)
        with tenant_scope(shop.tenant.id):
            dead = await JobRecord.get(key=f"delivery:{delivery.id}")
        assert dead.status == JobStatus.DEAD
        assert "receiver answered 500" in (dead.last_error or "")
        retries = settings.job_max_tries - 1
        assert value(DELIVERIES, outcome="retrying") == counted["retrying"] + retries
        assert value(DELIVERIES, outcome="dead") == counted["dead"] + 1

        # when: an admin replays it, the receiver now healthy
        with tenant_scope(shop.tenant.id):
            await job_service.replay(dead.id, jobs, jobs.policy)
        await jobs.drain()

    [delivery] = await _deliveries(shop)
    assert delivery.status == DeliveryStatus.DELIVERED
    assert value(DELIVERIES, outcome="delivered") == counted["delivered"] + 1
    with tenant_scope(shop.tenant.id):
        assert (await JobRecord.get(id=dead.id)).status == JobStatus.SUCCEEDED


async def test_timeouts_are_retried(db: str, settings: Settings) -> None:
    shop = await make_shop("acme")
    quick = settings.model_copy(update={"webhook_timeout_seconds": 0.2})
    queue = in_process(quick)
    with receiver([1.0]) as hook:
        await _subscribe(shop, hook.url)
        await _department_created(shop)
        await relay_outbox(queue, queue.policy)
        await queue.drain()

    [delivery] = await _deliveries(shop)
    assert delivery.status == DeliveryStatus.DELIVERED
    with tenant_scope(shop.tenant.id):
        first = await WebhookAttempt.get(number=1)
    assert first.status_code is None
    assert "Timeout" in (first.error or "")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "ftp://example.com/hook",
    ],
)
async def test_private_and_malformed_targets_are_refused_outside_development(
    db: str, url: str
) -> None:
    shop = await make_shop("acme")

    with tenant_scope(shop.tenant.id), pytest.raises(InvalidInput) as refused:
        await service.subscribe(url, ["*"], allow_private=False)

    assert refused.value.field == "url"
    with tenant_scope(shop.tenant.id):
        assert not await WebhookSubscription.exists()


async def test_unknown_event_types_are_refused(db: str) -> None:
    shop = await make_shop("acme")

    with tenant_scope(shop.tenant.id), pytest.raises(InvalidInput, match="Subscribe to"):
        await service.subscribe("https://example.com/h", ["order.teleported"], allow_private=True)
