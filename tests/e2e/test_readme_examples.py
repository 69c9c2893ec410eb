"""The queries the README's first screen shows work as printed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from merchantops.demo import ensure_demo
from tests.conftest import GraphQLClient

README = Path(__file__).resolve().parents[2] / "README.md"


async def test_first_screen_login_and_query_work_on_the_demo_tenant(gql: GraphQLClient) -> None:
    # given: the demo data `scripts/serve` seeds
    await ensure_demo()
    blocks = re.findall(r"```graphql\n(.*?)```", README.read_text(), re.DOTALL)
    login, query = blocks[0], blocks[1]

    # when
    logged_in = await gql.execute(login)
    token = logged_in["data"]["login"]["session"]["accessToken"]
    headers = json.loads(re.findall(r"```json\n(.*?)```", README.read_text(), re.DOTALL)[0])
    answer = await gql.execute(
        query, headers={k: v.replace("<accessToken>", token) for k, v in headers.items()}
    )

    # then
    assert "errors" not in answer, answer
    assert answer["data"]["currentTenant"]["slug"] == "demo"
    assert answer["data"]["me"]["memberships"][0]["roles"] == ["owner"]


async def test_first_screen_query_as_the_buyer_answers_what_the_buyer_may_read(
    gql: GraphQLClient,
) -> None:
    # given: the buyer, who may not list the tenant's members
    await ensure_demo()
    query = re.findall(r"```graphql\n(.*?)```", README.read_text(), re.DOTALL)[1]
    session = await gql.login("buyer@demo.merchantops.test", "demo-buyer-password")

    # when
    answer = await gql.execute(
        query,
        headers={"Authorization": f"Bearer {session['accessToken']}", "X-Tenant": "demo"},
    )

    # then: `members` alone is refused, the rest of the answer stands
    assert answer["data"]["me"]["user"]["email"] == "buyer@demo.merchantops.test"
    assert answer["data"]["currentTenant"]["slug"] == "demo"
    assert answer["data"]["members"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in answer["errors"]] == [
        (["members"], "FORBIDDEN")
    ]
