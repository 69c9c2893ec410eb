"""A session ended through one API process is over in every other one at once: the end is
in the database, read with the user on every request, not in any process's memory."""

from __future__ import annotations

from contextlib import AsyncExitStack

import httpx
from starlette.applications import Starlette

from merchantops.api.app import create_app
from merchantops.workers.embedding import Background
from merchantops.workers.inprocess import InProcessQueue
from tests.conftest import GraphQLClient, make_settings
from tests.factories import PASSWORD, make_shop

ME = "{ me { user { email } } }"
LOGOUT = "mutation($t: String!) { logout(input: {refreshToken: $t}) { ok } }"


async def test_access_token_logged_out_on_one_instance_is_refused_by_another_sharing_redis(
    db: str, redis_db_url: str, jobs: InProcessQueue
) -> None:
    # given: two app instances (as two processes would be) sharing the database and Redis
    shop = await make_shop("acme")
    settings = make_settings(db, redis_url=redis_db_url)
    async with AsyncExitStack() as stack:
        first, second = [
            await _client(
                stack, create_app(settings, manage_db=False, background=Background(queue=jobs))
            )
            for _ in "ab"
        ]
        session = await first.login(shop.email, PASSWORD)
        before = await second.post(ME, token=session["accessToken"], tenant="acme")

        # when: the user logs out through the first instance
        logout = await first.execute(LOGOUT, {"t": session["refreshToken"]})
        after = await second.post(ME, token=session["accessToken"], tenant="acme")

    # then: the second instance refuses the token on its very next request
    assert before.status_code == 200
    assert logout["data"]["logout"]["ok"] is True
    assert after.status_code == 401
    assert (
        after.json()["errors"][0]["message"] == "This session has ended (logged out); log in again."
    )


async def _client(stack: AsyncExitStack, app: Starlette) -> GraphQLClient:
    await stack.enter_async_context(app.router.lifespan_context(app))  # closes its Redis clients
    http = await stack.enter_async_context(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
    )
    return GraphQLClient(http)
