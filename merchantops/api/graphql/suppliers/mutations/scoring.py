"""Scoring suppliers: recording a scorecard, setting the weights and grade thresholds."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.suppliers.types import (
    ScoringPolicyType,
    SupplierEvaluationNode,
    SupplierNode,
)
from merchantops.domain.suppliers import service

WRITE = TenantPermission("supplier", "write")


@strawberry.input
class EvaluateSupplierInput:
    supplier_id: strawberry.ID
    quality: int
    delivery: int
    price: int
    service: int
    period: str = ""
    notes: str = strawberry.field(default="", metadata=limit(max_length=2000))


@strawberry.input
class ScoringPolicyInput:
    quality_weight: Decimal
    delivery_weight: Decimal
    price_weight: Decimal
    service_weight: Decimal
    grade_a_from: int
    grade_b_from: int
    grade_c_from: int


@strawberry.type
class SupplierEvaluationPayload:
    evaluation: SupplierEvaluationNode | None = None
    supplier: SupplierNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ScoringPolicyPayload:
    policy: ScoringPolicyType | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ScoringMutation:
    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Record a scorecard (criteria 0-100); the supplier takes the grade it gives.",
    )
    async def evaluate_supplier(self, input: EvaluateSupplierInput) -> SupplierEvaluationPayload:
        evaluation = await service.evaluate(
            decode_id(input.supplier_id, "Supplier", "supplierId"),
            service.Scores(input.quality, input.delivery, input.price, input.service),
            period=input.period,
            notes=input.notes,
        )
        supplier = await service.get_supplier(evaluation.supplier_id)
        return SupplierEvaluationPayload(
            evaluation=SupplierEvaluationNode.from_model(evaluation),
            supplier=SupplierNode.from_model(supplier),
        )

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def set_supplier_scoring_policy(self, input: ScoringPolicyInput) -> ScoringPolicyPayload:
        policy = await service.set_scoring_policy(
            service.Weights(
                input.quality_weight,
                input.delivery_weight,
                input.price_weight,
                input.service_weight,
                input.grade_a_from,
                input.grade_b_from,
                input.grade_c_from,
            )
        )
        return ScoringPolicyPayload(policy=ScoringPolicyType.from_model(policy))


__all__ = ["ScoringMutation"]
