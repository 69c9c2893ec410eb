"""Suppliers, their contacts and their evaluations, after the standard's chapter 3.1.

Contacts are people: their names, e-mails and phones are classified and masked by the
tenant's masking rules. Model docstrings become table comments: keep semicolons out of them.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from tortoise import fields

from merchantops.rules.masking import Classification
from merchantops.tenants.base import TenantModel


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Supplier(TenantModel):
    id = fields.UUIDField(primary_key=True)
    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=200)
    country = fields.CharField(max_length=2, default="")
    # The latest evaluation's result, kept here to filter and decide on without a join.
    grade = fields.CharEnumField(Grade, max_length=1, null=True)
    score = fields.DecimalField(max_digits=5, decimal_places=2, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    contacts: fields.ReverseRelation[SupplierContact]
    evaluations: fields.ReverseRelation[SupplierEvaluation]

    class Meta:
        table = "supplier"
        unique_together = (("tenant", "code"),)
        indexes = (("tenant_id", "grade"),)


class SupplierContact(TenantModel):
    CLASSIFIED: ClassVar[dict[str, Classification]] = {
        "full_name": Classification.CONFIDENTIAL_PERSONAL,
        "email": Classification.CONFIDENTIAL_PERSONAL,
        "phone": Classification.CONFIDENTIAL_PERSONAL,
    }

    id = fields.UUIDField(primary_key=True)
    supplier: fields.ForeignKeyRelation[Supplier] = fields.ForeignKeyField(
        "merchantops.Supplier", related_name="contacts", on_delete=fields.CASCADE
    )
    supplier_id: UUID
    full_name = fields.CharField(max_length=200)
    title = fields.CharField(max_length=100, default="")
    email = fields.CharField(max_length=254, default="")
    phone = fields.CharField(max_length=40, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "supplier_contact"


class SupplierEvaluation(TenantModel):
    """One scorecard: four criteria 0-100, the weights in force, the score and grade they gave."""

    id = fields.UUIDField(primary_key=True)
    supplier: fields.ForeignKeyRelation[Supplier] = fields.ForeignKeyField(
        "merchantops.Supplier", related_name="evaluations", on_delete=fields.CASCADE
    )
    supplier_id: UUID
    quality = fields.IntField()
    delivery = fields.IntField()
    price = fields.IntField()
    service = fields.IntField()
    weights: dict[str, object] = fields.JSONField()
    score = fields.DecimalField(max_digits=5, decimal_places=2)
    grade = fields.CharEnumField(Grade, max_length=1)
    previous_grade = fields.CharEnumField(Grade, max_length=1, null=True)
    period = fields.CharField(max_length=20, default="")
    notes = fields.TextField(default="")
    evaluated_by = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "supplier_evaluation"
        indexes = (("tenant_id", "supplier_id", "created_at"),)


class ScoringPolicy(TenantModel):
    """A tenant's weights of the four criteria and the score each grade starts at."""

    id = fields.UUIDField(primary_key=True)
    quality_weight = fields.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.4"))
    delivery_weight = fields.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.3"))
    price_weight = fields.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.2"))
    service_weight = fields.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.1"))
    grade_a_from = fields.IntField(default=85)
    grade_b_from = fields.IntField(default=70)
    grade_c_from = fields.IntField(default=55)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "supplier_scoring_policy"
        unique_together = (("tenant",),)


__all__ = ["Grade", "ScoringPolicy", "Supplier", "SupplierContact", "SupplierEvaluation"]
