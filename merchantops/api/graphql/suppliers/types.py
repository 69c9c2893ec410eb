"""The suppliers' node types: suppliers, their contacts (masked), scorecards and scoring policy."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Self
from uuid import UUID

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.masking import masked
from merchantops.domain.suppliers import models
from merchantops.domain.suppliers.models import Supplier, SupplierContact, SupplierEvaluation

# The domain's own enum, exposed as it is: one list of values to keep.
Grade = models.Grade
strawberry.enum(Grade, name="SupplierGrade")
Contact = models.SupplierContact


@strawberry.type(name="SupplierContact", description="A person: masked by the masking rules.")
class SupplierContactNode(relay.Node):
    id: relay.NodeID[str]
    title: str
    full_name: str | None = masked(Contact)
    email: str | None = masked(Contact)
    phone: str | None = masked(Contact)

    @classmethod
    def from_model(cls, contact: models.SupplierContact) -> Self:
        return cls(
            id=str(contact.id),
            title=contact.title,
            full_name=contact.full_name,
            email=contact.email,
            phone=contact.phone,
        )


@strawberry.type(name="SupplierEvaluation", description="One scorecard: the grade history.")
class SupplierEvaluationNode(relay.Node):
    id: relay.NodeID[str]
    quality: int
    delivery: int
    price: int
    service: int
    weights: JSON
    score: Decimal
    grade: Grade
    previous_grade: Grade | None
    period: str
    notes: str
    evaluated_by: str
    created_at: datetime

    @classmethod
    def from_model(cls, evaluation: models.SupplierEvaluation) -> Self:
        weights: Any = dict(evaluation.weights)
        return cls(
            id=str(evaluation.id),
            quality=evaluation.quality,
            delivery=evaluation.delivery,
            price=evaluation.price,
            service=evaluation.service,
            weights=weights,
            score=evaluation.score,
            grade=evaluation.grade,
            previous_grade=evaluation.previous_grade,
            period=evaluation.period,
            notes=evaluation.notes,
            evaluated_by=evaluation.evaluated_by,
            created_at=evaluation.created_at,
        )


@strawberry.type(name="Supplier")
class SupplierNode(relay.Node):
    id: relay.NodeID[str]
    code: str
    name: str
    country: str
    grade: Grade | None = strawberry.field(description="From the latest evaluation.")
    score: Decimal | None
    created_at: datetime

    @strawberry.field
    async def contacts(self, info: Info) -> list[SupplierContactNode]:
        rows = await info.context.loaders.grouped(SupplierContact, "supplier_id", "full_name").load(
            self.id
        )
        return [SupplierContactNode.from_model(row) for row in rows]

    @strawberry.field(description="Evaluations, newest first.")
    async def evaluations(self, info: Info) -> list[SupplierEvaluationNode]:
        rows = await info.context.loaders.grouped(
            SupplierEvaluation, "supplier_id", "-created_at"
        ).load(self.id)
        return [SupplierEvaluationNode.from_model(row) for row in rows]

    @classmethod
    def from_model(cls, supplier: models.Supplier) -> Self:
        return cls(
            id=str(supplier.id),
            code=supplier.code,
            name=supplier.name,
            country=supplier.country,
            grade=supplier.grade,
            score=supplier.score,
            created_at=supplier.created_at,
        )


@strawberry.type(name="SupplierScoringPolicy")
class ScoringPolicyType:
    quality_weight: Decimal
    delivery_weight: Decimal
    price_weight: Decimal
    service_weight: Decimal
    grade_a_from: int
    grade_b_from: int
    grade_c_from: int

    @classmethod
    def from_model(cls, policy: models.ScoringPolicy) -> Self:
        return cls(
            quality_weight=Decimal(policy.quality_weight),
            delivery_weight=Decimal(policy.delivery_weight),
            price_weight=Decimal(policy.price_weight),
            service_weight=Decimal(policy.service_weight),
            grade_a_from=policy.grade_a_from,
            grade_b_from=policy.grade_b_from,
            grade_c_from=policy.grade_c_from,
        )


async def load_supplier(info: Info, pk: UUID) -> SupplierNode:
    supplier = await info.context.loaders.by_id(Supplier).load(pk)
    assert supplier is not None
    return SupplierNode.from_model(supplier)


__all__ = [
    "Grade",
    "ScoringPolicyType",
    "SupplierContactNode",
    "SupplierEvaluationNode",
    "SupplierNode",
    "load_supplier",
]
