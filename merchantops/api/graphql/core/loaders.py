"""Per-request DataLoaders: every relation is fetched in one batched query per request."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar
from uuid import UUID

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from merchantops.domain.catalog.models import Product, Sku
from merchantops.domain.governance.models import ApprovalRequest
from merchantops.domain.inventory.models import Allocation, Lot, Warehouse, Zone
from merchantops.domain.purchasing.models import PurchaseOrder, PurchaseOrderLine, Receipt
from merchantops.domain.suppliers.models import Supplier, SupplierContact, SupplierEvaluation
from merchantops.domain.webhooks.models import WebhookAttempt
from merchantops.rules.models import RuleSetActivation
from merchantops.tenants.models import Department, Tenant, User

M = TypeVar("M", bound=Model)
T = TypeVar("T")


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


class _Lazy(Generic[T]):
    """A loader made on first use: a request needs a few of them, not all."""

    def __init__(self, make: Callable[[], T]) -> None:
        self.make = make
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> T:
        if instance is None:
            raise AttributeError(f"{self.name} is a per-request loader: read it on Loaders()")
        value = self.make()
        instance.__dict__[self.name] = value  # later reads find the instance's own attribute
        return value


class Loaders:
    user = _Lazy(lambda: by_id(User))
    tenant = _Lazy(lambda: by_id(Tenant))
    department = _Lazy(lambda: by_id(Department))
    webhook_attempts = _Lazy(lambda: grouped_by(WebhookAttempt, "delivery_id", "number"))
    product = _Lazy(lambda: by_id(Product))
    sku = _Lazy(lambda: by_id(Sku))
    supplier = _Lazy(lambda: by_id(Supplier))
    approval_request = _Lazy(lambda: by_id(ApprovalRequest))
    skus_of_product = _Lazy(lambda: grouped_by(Sku, "product_id", "code"))
    contacts_of_supplier = _Lazy(lambda: grouped_by(SupplierContact, "supplier_id", "full_name"))
    evaluations_of_supplier = _Lazy(
        lambda: grouped_by(SupplierEvaluation, "supplier_id", "-created_at")
    )
    purchase_order = _Lazy(lambda: by_id(PurchaseOrder))
    receipt = _Lazy(lambda: by_id(Receipt))
    lines_of_order = _Lazy(lambda: grouped_by(PurchaseOrderLine, "purchase_order_id", "line_no"))
    warehouse = _Lazy(lambda: by_id(Warehouse))
    zone = _Lazy(lambda: by_id(Zone))
    lot = _Lazy(lambda: by_id(Lot))
    allocation = _Lazy(lambda: by_id(Allocation))
    warehouse_zones = _Lazy(lambda: grouped_by(Zone, "warehouse_id", "code"))
    activations_of_rule_set = _Lazy(
        lambda: grouped_by(RuleSetActivation, "version_id", "activated_at")
    )


__all__ = ["Loaders", "by_id", "grouped_by"]
