"""Partners subscribe through GraphQL; admins watch deliveries and jobs and replay dead ones."""

from __future__ import annotations

import io
import json

import structlog

from merchantops.log import configure_logging
from merchantops.settings import Settings
from merchantops.workers import embedding
from merchantops.workers.inprocess import InProcessQueue
from merchantops.workers.relay import relay_outbox
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, make_shop
from tests.support.receiver import receiver

SUBSCRIBE = """
mutation($url: String!) {
  createWebhookSubscription(input: {url: $url, eventTypes: ["department.created"]}) {
    subscription { id url eventTypes } secret errors { field code message }
  }
}
"""
DEPARTMENT = 'mutation { createDepartment(input: {slug: "b2b", name: "B2B"}) { errors { code } } }'
DELIVERIES = """
{ webhookDeliveries { edges { node { eventType status attempts
    attemptLog { number statusCode } } } } }
"""


async def test_subscription_delivery_log_and_job_status(
    gql: GraphQLClient, jobs: InProcessQueue
) -> None:
    shop = await make_shop("acme")
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]
    with receiver([503]) as hook:
        created = (await gql.execute(SUBSCRIBE, {"url": hook.url}, token=token, tenant="acme"))[
            "data"
        ]["createWebhookSubscription"]
        await gql.execute(DEPARTMENT, token=token, tenant="acme")
        await relay_outbox(jobs, jobs.policy)
        await jobs.drain()

    deliveries = await gql.execute(DELIVERIES, token=token, tenant="acme")
    job_list = await gql.execute(
        "{ jobs { edges { node { name status attempts progressDone progressTotal } } } }",
        token=token,
        tenant="acme",
    )
    listed = await gql.execute(
        "{ webhookSubscriptions { edges { node { url } } } }", token=token, tenant="acme"
    )

    assert created["secret"].startswith("whsec_")
    assert created["secret"] not in str(listed)
    [delivery] = [e["node"] for e in deliveries["data"]["webhookDeliveries"]["edges"]]
    assert delivery == {
        "eventType": "department.created",
        "status": "DELIVERED",
        "attempts": 2,
        "attemptLog": [{"number": 1, "statusCode": 503}, {"number": 2, "statusCode": 200}],
    }
    by_name = {e["node"]["name"]: e["node"] for e in job_list["data"]["jobs"]["edges"]}
    assert by_name["process_event"]["status"] == "SUCCEEDED"
    assert (
        by_name["process_event"]["progressDone"],
        by_name["process_event"]["progressTotal"],
    ) == (
        1,
        1,
    )
    assert by_name["deliver_webhook"] | {"progressDone": 0, "progressTotal": None} == {
        "name": "deliver_webhook",
        "status": "SUCCEEDED",
        "attempts": 2,
        "progressDone": 0,
        "progressTotal": None,
    }


async def test_dead_job_is_listed_and_replayed_through_graphql(
    gql: GraphQLClient, jobs: InProcessQueue, settings: Settings
) -> None:
    shop = await make_shop("acme")
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]
    with receiver([500] * settings.job_max_tries) as hook:
        await gql.execute(SUBSCRIBE, {"url": hook.url}, token=token, tenant="acme")
        await gql.execute(DEPARTMENT, token=token, tenant="acme")
        await relay_outbox(jobs, jobs.policy)
        await jobs.drain()
        dead = await gql.execute(
            "{ jobs(status: DEAD) { edges { node { id name lastError } } } }",
            token=token,
            tenant="acme",
        )
        [job] = [e["node"] for e in dead["data"]["jobs"]["edges"]]
        replayed = await gql.execute(
            "mutation($id: ID!) { replayJob(input: {id: $id}) { job { status } errors { code } } }",
            {"id": job["id"]},
            token=token,
            tenant="acme",
        )
        await jobs.drain()

    assert job["name"] == "deliver_webhook"
    assert replayed["data"]["replayJob"] == {"job": {"status": "QUEUED"}, "errors": []}
    deliveries = await gql.execute(DELIVERIES, token=token, tenant="acme")
    assert deliveries["data"]["webhookDeliveries"]["edges"][0]["node"]["status"] == "DELIVERED"
    again = await gql.execute(
        "mutation($id: ID!) { replayJob(input: {id: $id}) { errors { code message } } }",
        {"id": job["id"]},
        token=token,
        tenant="acme",
    )
    assert again["data"]["replayJob"]["errors"][0]["code"] == "INVALID_INPUT"


async def test_private_webhook_target_is_refused_in_production_like_settings(
    gql: GraphQLClient, settings: Settings
) -> None:
    # The test app allows private targets (to reach the local receiver); the service refusal
    # itself is covered in tests/integration/test_webhooks.py. Here: the field and code.
    shop = await make_shop("acme")
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]

    body = await gql.execute(SUBSCRIBE, {"url": "gopher://x"}, token=token, tenant="acme")

    assert body["data"]["createWebhookSubscription"]["errors"][0]["field"] == "url"


async def test_without_redis_jobs_run_in_process_and_the_log_says_so(settings: Settings) -> None:
    log = io.StringIO()
    configure_logging(json=True, stream=log)
    try:
        background = await embedding.start(settings, run_schedule=False)
        await background.stop()
    finally:
        structlog.reset_defaults()

    entries = [json.loads(line) for line in log.getvalue().splitlines()]
    assert {"event": "jobs.mode", "mode": "in-process"}.items() <= entries[-1].items()
