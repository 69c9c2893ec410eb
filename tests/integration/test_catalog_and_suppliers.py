"""Products through their lifecycle, governed price changes, supplier scorecards and grades."""

from __future__ import annotations

from decimal import Decimal

import pytest

from merchantops.domain.catalog import service as catalog
from merchantops.domain.catalog.errors import InvalidTransition
from merchantops.domain.catalog.models import LifecycleStage, Sku
from merchantops.domain.governance import approvals
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.suppliers import service as suppliers
from merchantops.domain.suppliers.models import Grade, Supplier, SupplierEvaluation
from merchantops.errors import AlreadyExists, InvalidInput
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.workers.registry import shared_engine
from tests.factories import make_onboarded_shop

pytestmark = pytest.mark.usefixtures("db")

MERCHANDISER = Actor(frozenset({"supply-chain-staff"}))
SC_MANAGER = Actor(frozenset({"supply-chain-manager", "supply-chain-staff"}))
SHIRT = catalog.SkuSpec("SHIRT-M", "Medium", Decimal("40.00"), Decimal("15.50"))


@pytest.fixture
def evaluator() -> RuleEvaluator:
    return RuleEvaluator(shared_engine())


async def test_lifecycle_allows_only_its_transitions() -> None:
    shop = await make_onboarded_shop("acme")
    with tenant_scope(shop.tenant.id):
        product = await catalog.create_product("Linen shirt", skus=[SHIRT])
        await catalog.change_stage(product.id, LifecycleStage.GROWTH)
        with pytest.raises(InvalidTransition) as refused:
            await catalog.change_stage(product.id, LifecycleStage.INTRODUCTION)
        await catalog.change_stage(product.id, LifecycleStage.DECLINE)
        retired = await catalog.change_stage(product.id, LifecycleStage.RETIRED)
        with pytest.raises(InvalidTransition):
            await catalog.add_sku(
                product.id, catalog.SkuSpec("SHIRT-L", "L", Decimal(1), Decimal(1))
            )
    assert retired.stage is LifecycleStage.RETIRED
    assert "allowed: decline, maturity" in refused.value.message


async def test_sku_codes_are_unique_per_tenant_only() -> None:
    acme = await make_onboarded_shop("acme")
    other = await make_onboarded_shop("other")
    with tenant_scope(acme.tenant.id):
        product = await catalog.create_product("Linen shirt", skus=[SHIRT])
        with pytest.raises(AlreadyExists):
            await catalog.add_sku(product.id, SHIRT)
    with tenant_scope(other.tenant.id):
        await catalog.create_product("Their shirt", skus=[SHIRT])
        assert await Sku.all().count() == 1


async def test_bad_amounts_are_refused_with_the_field_named() -> None:
    shop = await make_onboarded_shop("acme")
    with tenant_scope(shop.tenant.id):
        with pytest.raises(InvalidInput) as refused:
            await catalog.create_product(
                "Shirt", skus=[catalog.SkuSpec("S-1", "S", Decimal("-1"), Decimal(0))]
            )
        with pytest.raises(InvalidInput) as cents:
            await catalog.create_product(
                "Shirt", skus=[catalog.SkuSpec("S-1", "S", Decimal("1.001"), Decimal(0))]
            )
    assert (refused.value.field, cents.value.field) == ("skus.0.price", "skus.0.price")


async def test_small_price_change_applies_and_large_one_waits_for_the_manager(
    evaluator: RuleEvaluator,
) -> None:
    shop = await make_onboarded_shop("acme")
    with tenant_scope(shop.tenant.id):
        with actor_scope("user:merch"):
            product = await catalog.create_product("Linen shirt", skus=[SHIRT])
            sku = await Sku.get(product_id=product.id)
            _, none = await catalog.change_price(evaluator, MERCHANDISER, sku.id, Decimal("44"))
            _, waiting = await catalog.change_price(evaluator, MERCHANDISER, sku.id, Decimal("80"))
            assert (await Sku.get(id=sku.id)).price == Decimal("44.00")
        assert none is None
        assert waiting is not None
        assert waiting.role == "supply-chain-manager"
        with actor_scope("user:manager"):
            await approvals.decide(evaluator, SC_MANAGER, waiting.id, approve=True)
        assert (await Sku.get(id=sku.id)).price == Decimal("80.00")


async def test_evaluation_grades_by_the_tenants_weights_and_keeps_history() -> None:
    shop = await make_onboarded_shop("acme")
    with tenant_scope(shop.tenant.id):
        supplier = await suppliers.create_supplier(
            "SUP-1",
            "Lakeside Mills",
            contacts=[suppliers.ContactSpec("Dana Reyes", email="dana@lakeside.example")],
        )
        first = await suppliers.evaluate(supplier.id, suppliers.Scores(95, 90, 80, 85))
        await suppliers.set_scoring_policy(
            suppliers.Weights(
                Decimal("0.1"), Decimal("0.1"), Decimal("0.1"), Decimal("0.7"), 90, 80, 70
            )
        )
        second = await suppliers.evaluate(supplier.id, suppliers.Scores(95, 90, 80, 40))
        history = await SupplierEvaluation.filter(supplier_id=supplier.id).order_by("created_at")
        now = await Supplier.get(id=supplier.id)

    # 95*.4 + 90*.3 + 80*.2 + 85*.1 = 89.5 -> A under the defaults (A from 85)
    assert (first.score, first.grade) == (Decimal("89.50"), Grade.A)
    assert first.previous_grade is None
    # 9.5 + 9 + 8 + 28 = 54.5 -> D under the tenant's own weights
    assert (second.score, second.grade, second.previous_grade) == (
        Decimal("54.50"),
        Grade.D,
        Grade.A,
    )
    assert [e.grade for e in history] == [Grade.A, Grade.D]
    assert (now.grade, now.score) == (Grade.D, Decimal("54.50"))


async def test_weights_must_sum_to_one_and_scores_stay_in_range() -> None:
    shop = await make_onboarded_shop("acme")
    with tenant_scope(shop.tenant.id):
        supplier = await suppliers.create_supplier("SUP-1", "Lakeside Mills")
        with pytest.raises(InvalidInput) as weights:
            await suppliers.set_scoring_policy(
                suppliers.Weights(
                    Decimal("0.5"), Decimal("0.5"), Decimal("0.5"), Decimal(0), 90, 80, 70
                )
            )
        with pytest.raises(InvalidInput) as not_a_number:
            await suppliers.set_scoring_policy(
                suppliers.Weights(
                    Decimal("NaN"), Decimal("0.5"), Decimal("0.5"), Decimal(0), 90, 80, 70
                )
            )
        with pytest.raises(InvalidInput) as score:
            await suppliers.evaluate(supplier.id, suppliers.Scores(101, 0, 0, 0))
        with pytest.raises(InvalidInput) as email:
            await suppliers.add_contact(supplier.id, suppliers.ContactSpec("X", email="nope"))
    assert (weights.value.field, not_a_number.value.field) == ("weights", "weights")
    assert (score.value.field, email.value.field) == ("quality", "email")
