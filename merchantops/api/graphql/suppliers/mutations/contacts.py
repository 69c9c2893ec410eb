"""A supplier's contacts: adding and removing them."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.errors import DeletePayload, UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.suppliers.types import SupplierContactNode
from merchantops.domain.suppliers import service

WRITE = TenantPermission("supplier", "write")


@strawberry.input
class ContactInput:
    full_name: str
    title: str = ""
    email: str = ""
    phone: str = ""

    def spec(self) -> service.ContactSpec:
        return service.ContactSpec(self.full_name, self.title, self.email, self.phone)


@strawberry.input
class AddSupplierContactInput:
    supplier_id: strawberry.ID
    contact: ContactInput


@strawberry.input
class RemoveSupplierContactInput:
    id: strawberry.ID


@strawberry.type
class SupplierContactPayload:
    contact: SupplierContactNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ContactMutation:
    @strawberry.mutation(extensions=[requires(WRITE)])
    async def add_supplier_contact(self, input: AddSupplierContactInput) -> SupplierContactPayload:
        supplier_id = decode_id(input.supplier_id, "Supplier", "supplierId")
        contact = await service.add_contact(supplier_id, input.contact.spec())
        return SupplierContactPayload(contact=SupplierContactNode.from_model(contact))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def remove_supplier_contact(self, input: RemoveSupplierContactInput) -> DeletePayload:
        await service.remove_contact(decode_id(input.id, "SupplierContact"))
        return DeletePayload(deleted_id=input.id)


__all__ = ["ContactInput", "ContactMutation"]
