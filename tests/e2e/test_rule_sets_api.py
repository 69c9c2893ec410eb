"""Tenant admins edit rule sets at run time through GraphQL."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_member, make_shop

DOCUMENT: dict[str, Any] = {
    "kind": "compliance",
    "rules": [
        {
            "id": "large-po",
            "when": {"fact": "po.total", "gt": 50000},
            "then": {"outcome": "require_approval", "role": "finance-manager"},
        }
    ],
}
DRAFT = """
mutation($d: JSON!) {
  createRuleSetDraft(input: {document: $d}) {
    version { id version status kind } errors { field code message }
  }
}
"""


async def test_compliance_manager_drafts_dry_runs_and_activates(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    await add_member(shop, "rules@acme.example.com", ["compliance-manager"])
    token = (await gql.login("rules@acme.example.com", PASSWORD))["accessToken"]

    draft = (await gql.execute(DRAFT, {"d": DOCUMENT}, token=token, tenant="acme"))["data"][
        "createRuleSetDraft"
    ]
    dry = await gql.execute(
        "query($id: ID!, $f: [JSON!]!) { dryRunRuleSet(id: $id, facts: $f) "
        "{ results { fired outcomes } errors { code } } }",
        {"id": draft["version"]["id"], "f": [{"po": {"total": 70000}}, {"po": {"total": 5}}]},
        token=token,
        tenant="acme",
    )
    activated = await gql.execute(
        "mutation($id: ID!) { activateRuleSet(input: {id: $id}) "
        "{ version { status } errors { code } } }",
        {"id": draft["version"]["id"]},
        token=token,
        tenant="acme",
    )

    assert draft["version"] == {
        "id": draft["version"]["id"],
        "version": 1,
        "status": "DRAFT",
        "kind": "COMPLIANCE",
    }
    results = dry["data"]["dryRunRuleSet"]["results"]
    assert [r["fired"] for r in results] == [["large-po"], []]
    assert results[0]["outcomes"][0]["role"] == "finance-manager"
    assert activated["data"]["activateRuleSet"] == {
        "version": {"status": "ACTIVE"},
        "errors": [],
    }


async def test_invalid_document_reports_every_problem_with_its_path(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]
    bad = {
        "kind": "compliance",
        "rules": [
            {"id": "r", "when": {"fact": "po.total", "gt": "a"}, "then": {}},
            {"id": "s", "when": {"fact": "loyalty.points", "gt": 1}, "then": {"outcome": "flag"}},
        ],
    }

    payload = (await gql.execute(DRAFT, {"d": bad}, token=token, tenant="acme"))["data"][
        "createRuleSetDraft"
    ]
    problems = await gql.execute(
        "query($d: JSON!) { validateRuleSet(document: $d) { path message } }",
        {"d": bad},
        token=token,
        tenant="acme",
    )

    assert payload["version"] is None
    assert [e["field"] for e in payload["errors"]] == [
        "document.rules[0].when.gt",
        "document.rules[0].then.outcome",
        "document.rules[1].when.fact",
    ]
    assert [p["path"] for p in problems["data"]["validateRuleSet"]] == [
        "rules[0].when.gt",
        "rules[0].then.outcome",
        "rules[1].when.fact",
    ]
    assert "'loyalty.points' is not a compliance fact" in payload["errors"][2]["message"]


async def test_staff_cannot_activate_rule_sets(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    await add_member(shop, "staff@acme.example.com", ["compliance-staff"])
    owner = (await gql.login(shop.email, PASSWORD))["accessToken"]
    staff = (await gql.login("staff@acme.example.com", PASSWORD))["accessToken"]
    draft = (await gql.execute(DRAFT, {"d": DOCUMENT}, token=owner, tenant="acme"))["data"][
        "createRuleSetDraft"
    ]

    refused = await gql.execute(
        "mutation($id: ID!) { activateRuleSet(input: {id: $id}) { errors { code } } }",
        {"id": draft["version"]["id"]},
        token=staff,
        tenant="acme",
    )

    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


ACTIVATE = (
    "mutation($id: ID!) { activateRuleSet(input: {id: $id}) { version { id } errors { code } } }"
)
HISTORY = """{ ruleSetVersions(kind: COMPLIANCE, first: 10) { edges { node {
  version status activations { via activatedBy deactivatedAt }
} } } }"""


async def test_rollback_is_shown_in_each_versions_activations(gql: GraphQLClient) -> None:
    # given: versions 1 and 2 activated in turn
    shop = await make_shop("acme")
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]
    for _ in range(2):
        draft = await gql.execute(DRAFT, {"d": DOCUMENT}, token=token, tenant="acme")
        version_id = draft["data"]["createRuleSetDraft"]["version"]["id"]
        await gql.execute(ACTIVATE, {"id": version_id}, token=token, tenant="acme")

    # when
    rolled = await gql.execute(
        "mutation { rollbackRuleSet(input: {kind: COMPLIANCE}) "
        "{ version { version status } errors { code } } }",
        token=token,
        tenant="acme",
    )
    history = await gql.execute(HISTORY, token=token, tenant="acme")

    # then
    assert rolled["data"]["rollbackRuleSet"] == {
        "version": {"version": 1, "status": "ACTIVE"},
        "errors": [],
    }
    nodes = {e["node"]["version"]: e["node"] for e in history["data"]["ruleSetVersions"]["edges"]}
    assert [(a["via"], a["deactivatedAt"] is None) for a in nodes[1]["activations"]] == [
        ("ACTIVATE", False),
        ("ROLLBACK", True),
    ]
    assert [(a["via"], a["deactivatedAt"] is None) for a in nodes[2]["activations"]] == [
        ("ACTIVATE", False)
    ]
    assert nodes[2]["status"] == "RETIRED"


async def test_rule_facts_lists_what_compliance_actions_provide(gql: GraphQLClient) -> None:
    shop = await make_shop("acme")
    token = (await gql.login(shop.email, PASSWORD))["accessToken"]

    body = await gql.execute(
        "{ ruleFacts(kind: COMPLIANCE) { name type providedBy planned } }",
        token=token,
        tenant="acme",
    )

    by_name = {fact["name"]: fact for fact in body["data"]["ruleFacts"]}
    assert by_name["po.total"] == {
        "name": "po.total",
        "type": "NUMBER",
        "providedBy": ["purchase_order.approve", "purchase_order.submit"],
        "planned": False,
    }
    assert {"supplier.grade", "price.change_ratio", "export.classification"} <= set(by_name)
    assert "loyalty.points" not in by_name
