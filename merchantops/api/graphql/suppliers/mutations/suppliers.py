"""Creating a supplier with its first contacts."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.suppliers.mutations.contacts import ContactInput
from merchantops.api.graphql.suppliers.types import SupplierNode
from merchantops.domain.suppliers import service

WRITE = TenantPermission("supplier", "write")


@strawberry.input
class CreateSupplierInput:
    code: str
    name: str
    country: str = ""
    contacts: list[ContactInput] = strawberry.field(default_factory=list)


@strawberry.type
class SupplierPayload:
    supplier: SupplierNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CreateSupplierMutation:
    @strawberry.mutation(extensions=[requires(WRITE)])
    async def create_supplier(self, input: CreateSupplierInput) -> SupplierPayload:
        supplier = await service.create_supplier(
            input.code,
            input.name,
            country=input.country,
            contacts=[contact.spec() for contact in input.contacts],
        )
        return SupplierPayload(supplier=SupplierNode.from_model(supplier))


__all__ = ["CreateSupplierMutation"]
