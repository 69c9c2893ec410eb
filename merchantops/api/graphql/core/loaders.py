"""Per-request DataLoaders: every relation is fetched in one batched query per request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar
from uuid import UUID

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from merchantops.domain.catalog.models import Product, Sku
from merchantops.domain.governance.models import ApprovalRequest
from merchantops.domain.inventory.models import Allocation, Lot, Warehouse, Zone
from merchantops.domain.purchasing.models import PurchaseOrder, PurchaseOrderLine, Receipt
from merchantops.domain.suppliers.models import Supplier, SupplierContact, SupplierEvaluation
from merchantops.domain.webhooks.models import WebhookAttempt
from merchantops.tenants.models import Department, Tenant, User

M = TypeVar("M", bound=Model)


def by_id(model: type[M]) -> DataLoader[UUID, M | None]:
    """Batch loads of `model` by primary key, through the model's own (tenant-scoped) manager."""

    async def load(ids: Sequence[UUID]) -> list[M | None]:
        rows: dict[str, M] = {str(row.pk): row for row in await model.filter(pk__in=list(ids))}
        return [rows.get(str(key)) for key in ids]

    return DataLoader(load_fn=load)


def grouped_by(model: type[M], field: str, order: str) -> DataLoader[UUID, list[M]]:
    """Batch loads of the `model` rows whose `field` is each given key, in `order`."""

    async def load(keys: Sequence[UUID]) -> list[list[M]]:
        groups: dict[str, list[M]] = {str(key): [] for key in keys}
        for row in await model.filter(**{f"{field}__in": list(keys)}).order_by(order):
            groups[str(getattr(row, field))].append(row)
        return [groups[str(key)] for key in keys]

    return DataLoader(load_fn=load)


class Loaders:
    def __init__(self) -> None:
        self.user = by_id(User)
        self.tenant = by_id(Tenant)
        self.department = by_id(Department)
        self.webhook_attempts = grouped_by(WebhookAttempt, "delivery_id", "number")
        self.product = by_id(Product)
        self.sku = by_id(Sku)
        self.supplier = by_id(Supplier)
        self.approval_request = by_id(ApprovalRequest)
        self.skus_of_product = grouped_by(Sku, "product_id", "code")
        self.contacts_of_supplier = grouped_by(SupplierContact, "supplier_id", "full_name")
        self.evaluations_of_supplier = grouped_by(SupplierEvaluation, "supplier_id", "-created_at")
        self.purchase_order = by_id(PurchaseOrder)
        self.receipt = by_id(Receipt)
        self.lines_of_order = grouped_by(PurchaseOrderLine, "purchase_order_id", "line_no")
        self.warehouse = by_id(Warehouse)
        self.zone = by_id(Zone)
        self.lot = by_id(Lot)
        self.allocation = by_id(Allocation)
        self.warehouse_zones = grouped_by(Zone, "warehouse_id", "code")


__all__ = ["Loaders", "by_id", "grouped_by"]
