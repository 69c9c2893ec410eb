"""The customers' node types: personal fields masked by the tenant's masking rules."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.masking import masked
from merchantops.domain.customers import models

Customer = models.Customer
Address = models.CustomerAddress


@strawberry.type(name="CustomerAddress", description="A delivery address: masked by the rules.")
class CustomerAddressNode(relay.Node):
    id: relay.NodeID[str]
    label: str
    recipient: str | None = masked(Address)
    line1: str | None = masked(Address)
    line2: str | None = masked(Address)
    city: str
    region: str
    postal_code: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code.")
    phone: str | None = masked(Address)
    is_default: bool

    @classmethod
    def from_model(cls, address: models.CustomerAddress) -> Self:
        return cls(
            id=str(address.id),
            label=address.label,
            recipient=address.recipient,
            line1=address.line1,
            line2=address.line2,
            city=address.city,
            region=address.region,
            postal_code=address.postal_code,
            country=address.country,
            phone=address.phone,
            is_default=address.is_default,
        )


@strawberry.type(name="Customer", description="A customer: personal fields masked by the rules.")
class CustomerNode(relay.Node):
    id: relay.NodeID[str]
    name: str | None = masked(Customer)
    email: str | None = masked(Customer)
    phone: str | None = masked(Customer)
    note: str | None = masked(Customer)
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    erased_at: datetime | None = strawberry.field(
        description="When the customer was erased (personal fields hold placeholders since)."
    )

    @strawberry.field(description="Addresses, the default first.")
    async def addresses(self, info: Info) -> list[CustomerAddressNode]:
        rows = await info.context.loaders.grouped(Address, "customer_id", "created_at").load(
            self.id
        )
        ordered = sorted(rows, key=lambda row: not row.is_default)
        return [CustomerAddressNode.from_model(row) for row in ordered]

    @classmethod
    def from_model(cls, customer: models.Customer) -> Self:
        return cls(
            id=str(customer.id),
            name=customer.name,
            email=customer.email,
            phone=customer.phone,
            note=customer.note,
            tags=list(customer.tags),
            created_at=customer.created_at,
            updated_at=customer.updated_at,
            erased_at=customer.erased_at,
        )


__all__ = ["CustomerAddressNode", "CustomerNode"]
