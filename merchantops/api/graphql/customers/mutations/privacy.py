"""A customer's data-subject requests: exporting everything held about them, erasing them.

Both need `customer:write`. The export answers with one JSON document, masked for the caller as
the customer's fields are everywhere else. Erasing is governed by compliance (`customer.erase`):
a tenant's rules may refuse it or hold it for a role's approval (the payload then carries the
approval request); without such a rule it goes through at once.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from merchantops.api.graphql.approvals.types import ApprovalRequestNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.masking import json_masked, strategy_for
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.customers.types import CustomerNode
from merchantops.domain.customers import privacy
from merchantops.domain.customers.models import Customer, CustomerAddress
from merchantops.rules.masking import classification_of, entity_of, mask

WRITE = TenantPermission("customer", "write")


@strawberry.input
class CustomerIdInput:
    id: strawberry.ID


@strawberry.type
class CustomerDataPayload:
    document: JSON | None = strawberry.field(
        default=None,
        description="The record, its addresses and the audit entries naming it, as JSON.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EraseCustomerPayload:
    customer: CustomerNode | None = None
    approval_request: ApprovalRequestNode | None = strawberry.field(
        default=None, description="Set when the erasure waits for an approval instead."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PrivacyMutation:
    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Everything held about one customer (a data-subject access request); audited.",
    )
    async def export_customer_data(self, info: Info, input: CustomerIdInput) -> CustomerDataPayload:
        document = await privacy.export_customer(decode_id(input.id, "Customer"))
        return CustomerDataPayload(document=await _masked(info, document))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Anonymise a customer (a data-subject erasure request); governed by "
        "compliance, audited, idempotent.",
    )
    async def erase_customer(self, info: Info, input: CustomerIdInput) -> EraseCustomerPayload:
        customer, pending = await privacy.erase_customer(
            info.context.require_evaluator(),
            info.context.actor(),
            decode_id(input.id, "Customer"),
        )
        return EraseCustomerPayload(
            customer=CustomerNode.from_model(customer),
            approval_request=ApprovalRequestNode.from_model(pending) if pending else None,
        )


async def _masked(info: Info, document: dict[str, Any]) -> Any:
    """The document with each classified field masked as the caller sees it in the API."""
    customer = await _masked_record(info, Customer, document["customer"])
    addresses = [await _masked_record(info, CustomerAddress, a) for a in document["addresses"]]
    others = {  # what other areas hold about the customer (orders...), masked by its keys
        key: await json_masked(info, value)
        for key, value in document.items()
        if key not in ("customer", "addresses", "exported_at")
    }
    return {**document, **others, "customer": customer, "addresses": addresses}


async def _masked_record(info: Info, model: Any, record: dict[str, Any]) -> dict[str, Any]:
    masked: dict[str, Any] = {}
    for key, value in record.items():
        if key in model.CLASSIFIED:
            strategy = await strategy_for(
                info, classification_of(model, key), None, entity_of(model)
            )
            value = mask(strategy, value)
        masked[key] = value
    return masked


__all__ = ["PrivacyMutation"]
