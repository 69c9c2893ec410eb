"""Customers of a tenant and their addresses (issue 17, item 1).

Names, e-mails, phones, recipients and address lines are personal data: classified, masked by
the tenant's masking rules. An erased customer keeps its row (orders keep their reference)
with every personal field replaced by a placeholder. Model docstrings become table comments:
keep semicolons out of them.
"""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from tortoise import fields

from merchantops.rules.masking import Classification
from merchantops.tenants.base import TenantModel

PERSONAL = Classification.CONFIDENTIAL_PERSONAL


class Customer(TenantModel):
    CLASSIFIED: ClassVar[dict[str, Classification]] = {
        "name": PERSONAL,
        "email": PERSONAL,
        "phone": PERSONAL,
        "note": PERSONAL,
    }

    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=200)
    email = fields.CharField(max_length=254, default="")
    phone = fields.CharField(max_length=40, default="")
    tags: list[str] = fields.JSONField(default=list)
    # The tags again as ",a,b,": a plain text column every database filters the same way.
    tag_index = fields.CharField(max_length=1000, default=",")
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    erased_at = fields.DatetimeField(null=True)

    addresses: fields.ReverseRelation[CustomerAddress]

    class Meta:
        table = "customer"
        indexes = (("tenant_id", "email"), ("tenant_id", "created_at"))


class CustomerAddress(TenantModel):
    CLASSIFIED: ClassVar[dict[str, Classification]] = {
        "recipient": PERSONAL,
        "line1": PERSONAL,
        "line2": PERSONAL,
        "phone": PERSONAL,
    }

    id = fields.UUIDField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "merchantops.Customer", related_name="addresses", on_delete=fields.CASCADE
    )
    customer_id: UUID
    label = fields.CharField(max_length=50, default="")
    recipient = fields.CharField(max_length=200)
    line1 = fields.CharField(max_length=200)
    line2 = fields.CharField(max_length=200, default="")
    city = fields.CharField(max_length=100)
    region = fields.CharField(max_length=100, default="")
    postal_code = fields.CharField(max_length=20, default="")
    country = fields.CharField(max_length=2)
    phone = fields.CharField(max_length=40, default="")
    is_default = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "customer_address"


__all__ = ["Customer", "CustomerAddress"]
