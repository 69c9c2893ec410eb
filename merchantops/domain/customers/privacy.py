"""A customer's data-subject requests (PIPL / GDPR): export everything held about them, erase
them.

The export is one JSON document: the record, its addresses and the audit entries naming the
customer (which hold no personal data, see `service`). Erasing anonymises: every personal field
is replaced by a fixed placeholder, the addresses are deleted and `erased_at` is set; the row
stays, so records referring to the customer keep their reference. Areas that hold personal
data about a customer (orders: contacts, shipping addresses, notes) add their part to the
export and anonymise it in the erasure's transaction (their `personal_data.py`, handed over by
`bootstrap.wire`: `install_holders`). Erasing is
governed by compliance (action `customer.erase`): a rule may deny it or hold it for a role's
approval (`handlers.py` applies the approved erasure). Both are audited; erasing again is a
no-op.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.customers.models import Customer, CustomerAddress
from merchantops.domain.customers.service import get_customer
from merchantops.domain.governance import approvals
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.governance.models import ApprovalRequest, ApprovalStatus
from merchantops.errors import NotFound
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants import audit, outbox
from merchantops.tenants.models import AuditEntry

ERASE = "customer.erase"


@dataclass(frozen=True)
class Holder:
    """An area holding personal data about customers: its part of the export (a JSON-able
    value under `name`) and its anonymisation, run in the erasure's transaction."""

    name: str
    export: Callable[[UUID], Awaitable[Any]]
    erase: Callable[[UUID], Awaitable[Any]]


_holders: list[Holder] = []


def install_holders(holders: Sequence[Holder]) -> None:
    _holders[:] = holders


ERASED_NAME = "Erased customer"
# What an erased customer's personal fields hold.
PLACEHOLDERS: dict[str, Any] = {
    "name": ERASED_NAME,
    "email": "",
    "phone": "",
    "note": "",
    "tags": [],
    "tag_index": ",",
}


async def export_customer(customer_id: UUID) -> dict[str, Any]:
    """Everything held about one customer, as a JSON document; the export is audited."""
    async with in_transaction():
        customer = await get_customer(customer_id)
        addresses = await CustomerAddress.filter(customer_id=customer.id).order_by(
            "created_at", "id"
        )
        entries = await AuditEntry.filter(target_type="customer", target_id=str(customer.id))
        document: dict[str, Any] = {
            "customer": customer_document(customer),
            "addresses": [address_document(address) for address in addresses],
            "audit": [
                {
                    "action": entry.action,
                    "actor": entry.actor,
                    "at": entry.created_at.isoformat(),
                    "diff": entry.diff,
                }
                for entry in sorted(entries, key=lambda e: (e.created_at, e.id))
            ],
        }
        for holder in _holders:
            document[holder.name] = await holder.export(customer.id)
        document["exported_at"] = datetime.now(UTC).isoformat()
        await audit.record(
            "customer.exported", "customer", customer.id, after={"addresses": len(addresses)}
        )
    return document


async def erase_customer(
    evaluator: RuleEvaluator, actor: Actor, customer_id: UUID
) -> tuple[Customer, ApprovalRequest | None]:
    """Anonymise the customer, or hold the erasure for approval when the rules say so.
    Erasing an erased customer changes nothing and asks nobody; asking again while an
    erasure waits answers the waiting request."""
    async with in_transaction():
        customer = await Customer.select_for_update().get_or_none(id=customer_id)
        if customer is None:
            raise NotFound("No customer with this id.", field="id")
        if customer.erased_at is not None:
            return customer, None
        waiting = await ApprovalRequest.filter(
            action=ERASE, subject_id=str(customer.id), status=ApprovalStatus.PENDING
        ).first()
        if waiting is not None:  # asked before: the same request still decides it
            return customer, waiting
        pending = await approvals.governed(
            evaluator,
            actor,
            ERASE,
            await _fact(customer),
            subject=("customer", customer.id),
        )
        if pending is None:
            await _erase(customer)
    return customer, pending


async def apply_approved_erasure(
    request: ApprovalRequest, evaluator: RuleEvaluator, actor: Actor
) -> None:
    customer = await Customer.select_for_update().get(id=request.subject_id)
    if customer.erased_at is not None:
        return
    await approvals.governed(
        evaluator,
        actor,
        ERASE,
        await _fact(customer),
        subject=("customer", customer.id),
        approved=True,
    )
    await _erase(customer)


def customer_document(customer: Customer) -> dict[str, Any]:
    return {
        "id": str(customer.id),
        "name": customer.name,
        "email": customer.email,
        "phone": customer.phone,
        "tags": list(customer.tags),
        "note": customer.note,
        "created_at": customer.created_at.isoformat(),
        "updated_at": customer.updated_at.isoformat(),
        "erased_at": customer.erased_at.isoformat() if customer.erased_at else None,
    }


def address_document(address: CustomerAddress) -> dict[str, Any]:
    return {
        "id": str(address.id),
        "label": address.label,
        "recipient": address.recipient,
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "region": address.region,
        "postal_code": address.postal_code,
        "country": address.country,
        "phone": address.phone,
        "is_default": address.is_default,
    }


async def _fact(customer: Customer) -> dict[str, Any]:
    addresses = await CustomerAddress.filter(customer_id=customer.id).count()
    age = datetime.now(UTC) - customer.created_at
    return {
        "customer": {
            "id": str(customer.id),
            "tags": list(customer.tags),
            "addresses": addresses,
            "age_days": age.days,
        }
    }


async def _erase(customer: Customer) -> None:
    removed = await CustomerAddress.filter(customer_id=customer.id).delete()
    for holder in _holders:
        await holder.erase(customer.id)
    for key, value in PLACEHOLDERS.items():
        setattr(customer, key, value)
    customer.erased_at = datetime.now(UTC)
    await customer.save(update_fields=[*PLACEHOLDERS, "erased_at", "updated_at"])
    await audit.record(
        "customer.erased", "customer", customer.id, after={"addresses_removed": removed}
    )
    await outbox.emit("customer.erased", {"id": str(customer.id)})


__all__ = [
    "ERASE",
    "ERASED_NAME",
    "PLACEHOLDERS",
    "Holder",
    "address_document",
    "apply_approved_erasure",
    "customer_document",
    "erase_customer",
    "export_customer",
    "install_holders",
]
