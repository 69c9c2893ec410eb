"""Rule-set versions: draft, dry-run, activate, roll back; in force everywhere at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from merchantops.rules import versions
from merchantops.rules.document import RuleSetKind
from merchantops.rules.durable_engine import DurableEngine
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.rules.models import VersionStatus
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.models import AuditEntry
from tests.factories import make_shop


def _po_rules(threshold: int) -> dict[str, Any]:
    return {
        "kind": "compliance",
        "rules": [
            {
                "id": "large-po",
                "when": {"fact": "po.total", "gt": threshold},
                "then": {"outcome": "require_approval", "role": "finance-manager"},
            },
            {
                "id": "grade-d",
                "when": {"fact": "supplier.grade", "eq": "D"},
                "then": {"outcome": "deny", "reason": "grade-D supplier"},
            },
        ],
    }


@pytest.fixture(scope="module")
def engine() -> Iterator[DurableEngine]:
    durable = DurableEngine(max_loaded=16)
    yield durable
    durable.close()


async def test_bad_document_is_refused_with_every_path_and_nothing_is_stored(db: str) -> None:
    shop = await make_shop("acme")
    bad = {"kind": "compliance", "rules": [{"id": "x", "when": {"fact": "a"}, "then": {}}]}

    with tenant_scope(shop.tenant.id), pytest.raises(versions.InvalidDocument) as refused:
        await versions.create_draft(bad)

    paths = [path for path, _ in refused.value.problems]
    assert paths == ["rules[0].when", "rules[0].then.outcome"]
    with tenant_scope(shop.tenant.id):
        assert await versions.active(RuleSetKind.COMPLIANCE) is None


async def test_dry_run_names_the_rules_that_fire_and_their_outcomes(db: str) -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        draft = await versions.create_draft(_po_rules(50_000))
        results = await versions.dry_run(
            draft.id, [{"po": {"total": 60_000}, "supplier": {"grade": "D"}}, {"po": {"total": 1}}]
        )

    assert results[0].fired == ["large-po", "grade-d"]
    assert results[0].outcomes[0]["outcome"] == "require_approval"
    assert results[0].outcomes[1]["reason"] == "grade-D supplier"
    assert results[1].fired == []


async def test_activation_in_one_process_is_seen_by_another(db: str, engine: DurableEngine) -> None:
    # given: two processes' evaluators, one version active and warm in both
    shop = await make_shop("acme")
    here, there = RuleEvaluator(engine), RuleEvaluator(engine)
    fact = {"po": {"total": 20_000}}
    with tenant_scope(shop.tenant.id):
        first = await versions.create_draft(_po_rules(50_000))
        await versions.activate(first.id)
        assert await here.evaluate(RuleSetKind.COMPLIANCE, fact) == []
        assert await there.evaluate(RuleSetKind.COMPLIANCE, fact) == []

        # when: one process activates a stricter version
        second = await versions.create_draft(_po_rules(10_000))
        await versions.activate(second.id)

        # then: the other applies it on its next evaluation
        decisions = await there.evaluate(RuleSetKind.COMPLIANCE, fact)
        assert [d.rule for d in decisions] == ["large-po"]

        # and a rollback brings the first back
        rolled = await versions.rollback(RuleSetKind.COMPLIANCE)
        assert rolled.id == first.id
        assert await here.evaluate(RuleSetKind.COMPLIANCE, fact) == []
        statuses = {
            v.version: v.status
            for v in [await versions.get_version(first.id), await versions.get_version(second.id)]
        }
        actions = [
            e.action for e in await AuditEntry.filter(target_type="rule_set").order_by("seq")
        ]

    assert statuses == {1: VersionStatus.ACTIVE, 2: VersionStatus.RETIRED}
    assert actions == [
        "rule_set.draft", "rule_set.activate", "rule_set.draft", "rule_set.activate",
        "rule_set.rollback",
    ]  # fmt: skip


async def test_rollback_keeps_each_versions_activation_history(db: str) -> None:
    # given: version 1 activated, then version 2
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id), actor_scope("user:officer"):
        first = await versions.create_draft(_po_rules(50_000))
        await versions.activate(first.id)
        second = await versions.create_draft(_po_rules(10_000))
        await versions.activate(second.id)
        first_activated_at = (await versions.get_version(first.id)).activated_at

        # when: rolled back to 1, then back again to 2
        await versions.rollback(RuleSetKind.COMPLIANCE)
        again = await versions.rollback(RuleSetKind.COMPLIANCE)

        one = await versions.activations(first.id)
        two = await versions.activations(second.id)
        reloaded = await versions.get_version(first.id)

    # then: every period is kept, with how it began; the first activation time never moves
    assert again.id == second.id
    assert [(a.via.value, a.deactivated_at is None) for a in one] == [
        ("activate", False),
        ("rollback", False),
    ]
    assert [(a.via.value, a.deactivated_at is None) for a in two] == [
        ("activate", False),
        ("rollback", True),
    ]
    assert {a.activated_by for a in one + two} == {"user:officer"}
    assert one[0].deactivated_at == two[0].activated_at
    assert one[1].activated_at == two[0].deactivated_at
    assert reloaded.activated_at == first_activated_at


async def test_a_tenants_rules_never_fire_for_another_tenant(
    db: str, engine: DurableEngine
) -> None:
    acme = await make_shop("acme")
    globex = await make_shop("globex")
    evaluator = RuleEvaluator(engine)
    with tenant_scope(acme.tenant.id):
        await versions.activate((await versions.create_draft(_po_rules(1))).id)

    with tenant_scope(globex.tenant.id):
        decisions = await evaluator.evaluate(RuleSetKind.COMPLIANCE, {"po": {"total": 10**6}})

    assert decisions == []
