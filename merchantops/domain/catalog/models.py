"""Products and their SKUs, after the standard's chapter 3.3 (product lifecycle).

Model docstrings become table comments: keep semicolons out of them.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from tortoise import fields

from merchantops.rules.masking import Classification
from merchantops.tenants.base import TenantModel


class LifecycleStage(StrEnum):
    INTRODUCTION = "introduction"
    GROWTH = "growth"
    MATURITY = "maturity"
    DECLINE = "decline"
    RETIRED = "retired"


# A product moves forward through its life, may be revived from decline, and never returns
# from retirement (its SKUs stay for history, stock and orders).
TRANSITIONS: dict[LifecycleStage, frozenset[LifecycleStage]] = {
    LifecycleStage.INTRODUCTION: frozenset({LifecycleStage.GROWTH, LifecycleStage.RETIRED}),
    LifecycleStage.GROWTH: frozenset({LifecycleStage.MATURITY, LifecycleStage.DECLINE}),
    LifecycleStage.MATURITY: frozenset({LifecycleStage.DECLINE}),
    LifecycleStage.DECLINE: frozenset({LifecycleStage.GROWTH, LifecycleStage.RETIRED}),
    LifecycleStage.RETIRED: frozenset(),
}


class Product(TenantModel):
    CLASSIFIED: ClassVar[dict[str, Classification]] = {
        "contact_name": Classification.CONFIDENTIAL_PERSONAL,
        "contact_email": Classification.CONFIDENTIAL_PERSONAL,
    }

    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=200)
    category = fields.CharField(max_length=100, default="")
    description = fields.TextField(default="")
    stage = fields.CharEnumField(LifecycleStage, max_length=16, default=LifecycleStage.INTRODUCTION)
    # The person answering for the product (its product manager): personal data.
    contact_name = fields.CharField(max_length=200, default="")
    contact_email = fields.CharField(max_length=254, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    skus: fields.ReverseRelation[Sku]

    class Meta:
        table = "product"
        indexes = (("tenant_id", "stage"), ("tenant_id", "category"))


class Sku(TenantModel):
    """A sellable and stockable variant of a product with its price and unit cost."""

    id = fields.UUIDField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "merchantops.Product", related_name="skus", on_delete=fields.RESTRICT
    )
    product_id: UUID
    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=200)
    price = fields.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    cost = fields.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "sku"
        unique_together = (("tenant", "code"),)


__all__ = ["TRANSITIONS", "LifecycleStage", "Product", "Sku"]
