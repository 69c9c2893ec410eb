"""Generated queries and mutations over the exported schema, sent as tenant A's owner, never get
a server error, get only errors with a code, and never show anything of tenant B.

hypothesis-graphql builds valid operations (any root field, any selection, arbitrary argument
values) from `schema.graphql`. The run is derandomized, so CI sees the same examples each time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import graphql
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from merchantops.settings import Settings
from tests.conftest import GraphQLClient, make_settings
from tests.factories import PASSWORD, make_shop, make_shop_with_secrets

SCHEMA = (Path(__file__).resolve().parents[2] / "schema.graphql").read_text()
JSON_VALUES: st.SearchStrategy[graphql.ValueNode] = st.one_of(
    st.text(max_size=20).map(nodes.String),
    st.integers(-5, 5).map(nodes.Int),
    st.just(
        nodes.Object(
            [
                graphql.ObjectFieldNode(
                    name=graphql.NameNode(value="kind"), value=nodes.String("risk")
                ),
                graphql.ObjectFieldNode(name=graphql.NameNode(value="rules"), value=nodes.List([])),
            ]
        )
    ),
)
SCALARS: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
    "JSON": JSON_VALUES,
    "DateTime": st.datetimes().map(lambda moment: nodes.String(moment.isoformat() + "Z")),
    "Date": st.dates().map(lambda day: nodes.String(day.isoformat())),
    "Decimal": st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
        st.sampled_from(["-1", "1e9", "NaN", "0.001", "abc", ""]),
    ).map(nodes.String),
}
_ROOTS = graphql.build_schema(SCHEMA)
assert _ROOTS.query_type is not None
assert _ROOTS.mutation_type is not None
# one root field per document, so a refused field does not hide what the others would return
OPERATIONS = st.one_of(
    st.sampled_from(sorted(_ROOTS.query_type.fields)).flatmap(
        lambda name: queries(SCHEMA, fields=[name], custom_scalars=SCALARS)
    ),
    st.sampled_from(sorted(_ROOTS.mutation_type.fields)).flatmap(
        lambda name: mutations(SCHEMA, fields=[name], custom_scalars=SCALARS)
    ),
)


@pytest.fixture
def settings(db: str) -> Settings:
    # generated selections are wide: let them run, so the resolvers are what is fuzzed
    return make_settings(db, max_query_cost=10_000_000, throttle_capacity=10_000_000)


@pytest.fixture
async def world(gql: GraphQLClient) -> dict[str, Any]:
    acme = await make_shop("acme")
    _, secrets = await make_shop_with_secrets("globex")
    token = (await gql.login(acme.email, PASSWORD))["accessToken"]
    return {"credentials": {"token": token, "tenant": "acme"}, "secrets": secrets}


@hypothesis_settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=OPERATIONS)
async def test_generated_operations_get_coded_errors_only_and_nothing_of_another_tenant(
    gql: GraphQLClient, world: dict[str, Any], document: str
) -> None:
    response = await gql.post(document, **world["credentials"])

    assert response.status_code < 500, (document, response.text)
    codes = [(e.get("extensions") or {}).get("code") for e in response.json().get("errors", [])]
    assert "INTERNAL_SERVER_ERROR" not in codes, (document, response.text)
    assert all(isinstance(code, str) for code in codes), (document, response.text)
    for secret in world["secrets"]:
        assert secret not in response.text, (document, secret, response.text)
