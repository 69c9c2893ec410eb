"""A customer's addresses: adding and removing them."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.errors import DeletePayload, UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.customers.types import CustomerAddressNode
from merchantops.domain.customers import service

WRITE = TenantPermission("customer", "write")


@strawberry.input
class AddressInput:
    recipient: str
    line1: str
    city: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code.")
    label: str = ""
    line2: str = ""
    region: str = ""
    postal_code: str = ""
    phone: str = ""
    is_default: bool = strawberry.field(
        default=False, description="A customer's first address is the default anyway."
    )

    def spec(self) -> service.AddressSpec:
        return service.AddressSpec(
            recipient=self.recipient,
            line1=self.line1,
            city=self.city,
            country=self.country,
            label=self.label,
            line2=self.line2,
            region=self.region,
            postal_code=self.postal_code,
            phone=self.phone,
            is_default=self.is_default,
        )


@strawberry.input
class AddCustomerAddressInput:
    customer_id: strawberry.ID
    address: AddressInput


@strawberry.input
class RemoveCustomerAddressInput:
    id: strawberry.ID


@strawberry.type
class CustomerAddressPayload:
    address: CustomerAddressNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AddressMutation:
    @strawberry.mutation(extensions=[requires(WRITE)])
    async def add_customer_address(self, input: AddCustomerAddressInput) -> CustomerAddressPayload:
        customer_id = decode_id(input.customer_id, "Customer", "customerId")
        address = await service.add_address(customer_id, input.address.spec())
        return CustomerAddressPayload(address=CustomerAddressNode.from_model(address))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def remove_customer_address(self, input: RemoveCustomerAddressInput) -> DeletePayload:
        await service.remove_address(decode_id(input.id, "CustomerAddress"))
        return DeletePayload(deleted_id=input.id)


__all__ = ["AddressInput", "AddressMutation"]
