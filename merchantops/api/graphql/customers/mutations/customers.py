"""Creating and changing a customer."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.customers.types import CustomerNode
from merchantops.domain.customers import service

WRITE = TenantPermission("customer", "write")


@strawberry.input
class CreateCustomerInput:
    name: str
    email: str = ""
    phone: str = ""
    tags: list[str] = strawberry.field(default_factory=list)
    note: str = ""


@strawberry.input(description="Fields left out (or null) stay as they are.")
class UpdateCustomerInput:
    id: strawberry.ID
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    tags: list[str] | None = None
    note: str | None = None


@strawberry.type
class CustomerPayload:
    customer: CustomerNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CustomerRecordMutation:
    @strawberry.mutation(extensions=[requires(WRITE)])
    async def create_customer(self, input: CreateCustomerInput) -> CustomerPayload:
        customer = await service.create_customer(
            service.CustomerSpec(
                input.name, input.email, input.phone, tuple(input.tags), input.note
            )
        )
        return CustomerPayload(customer=CustomerNode.from_model(customer))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def update_customer(self, input: UpdateCustomerInput) -> CustomerPayload:
        customer = await service.update_customer(
            decode_id(input.id, "Customer"),
            service.CustomerChanges(
                name=input.name,
                email=input.email,
                phone=input.phone,
                tags=None if input.tags is None else tuple(input.tags),
                note=input.note,
            ),
        )
        return CustomerPayload(customer=CustomerNode.from_model(customer))


__all__ = ["CustomerPayload", "CustomerRecordMutation"]
