"""Customers: creating, changing, their addresses. The only place their state changes.

Audit entries and event bodies name the customer by id and list the fields a change touched,
never their values: the audit trail is tamper-evident and cannot be rewritten when a customer
is erased, so no personal data goes into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.customers.errors import CustomerErased
from merchantops.domain.customers.models import Customer, CustomerAddress
from merchantops.domain.values import email_address, phone_number, text
from merchantops.errors import AlreadyExists, InvalidInput, NotFound
from merchantops.tenants import audit, outbox

TAG = re.compile(r"^[\w.-]{1,40}$")
MAX_TAGS = 20


@dataclass(frozen=True, slots=True)
class CustomerSpec:
    name: str
    email: str = ""
    phone: str = ""
    tags: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class CustomerChanges:
    """What an update sets; None leaves a field as it is."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    tags: tuple[str, ...] | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class AddressSpec:
    recipient: str
    line1: str
    city: str
    country: str
    label: str = ""
    line2: str = ""
    region: str = ""
    postal_code: str = ""
    phone: str = ""
    is_default: bool = False


async def create_customer(spec: CustomerSpec) -> Customer:
    name = text(spec.name, "name", max_length=200)
    email, phone = email_address(spec.email, "email"), phone_number(spec.phone, "phone")
    tags, note = _tags(spec.tags), text(spec.note, "note", max_length=2000, required=False)
    async with in_transaction():
        await _email_free(email, None)
        customer = await Customer.create(
            name=name, email=email, phone=phone, tags=tags, tag_index=tag_index(tags), note=note
        )
        given = [
            key for key in ("name", "email", "phone", "tags", "note") if getattr(customer, key)
        ]
        await audit.record("customer.created", "customer", customer.id, after={"fields": given})
        await outbox.emit("customer.created", {"id": str(customer.id), "tags": tags})
    return customer


async def update_customer(customer_id: UUID, changes: CustomerChanges) -> Customer:
    values: dict[str, object] = {}
    if changes.name is not None:
        values["name"] = text(changes.name, "name", max_length=200)
    if changes.email is not None:
        values["email"] = email_address(changes.email, "email")
    if changes.phone is not None:
        values["phone"] = phone_number(changes.phone, "phone")
    if changes.tags is not None:
        values["tags"] = _tags(changes.tags)
    if changes.note is not None:
        values["note"] = text(changes.note, "note", max_length=2000, required=False)
    async with in_transaction():
        customer = await live_customer(customer_id, lock=True)
        if "email" in values:
            await _email_free(str(values["email"]), customer.id)
        changed = sorted(key for key, value in values.items() if getattr(customer, key) != value)
        if not changed:
            return customer
        for key in changed:
            setattr(customer, key, values[key])
        customer.tag_index = tag_index(customer.tags)
        await customer.save(update_fields=[*changed, "tag_index", "updated_at"])
        await audit.record(
            "customer.updated",
            "customer",
            customer.id,
            after={"fields": changed},
        )
        await outbox.emit(
            "customer.updated",
            {"id": str(customer.id), "tags": list(customer.tags), "changed": changed},
        )
    return customer


async def add_address(customer_id: UUID, spec: AddressSpec) -> CustomerAddress:
    checked = _address(spec)
    async with in_transaction():
        customer = await live_customer(customer_id, field="customerId", lock=True)
        has_default = await CustomerAddress.exists(customer_id=customer.id, is_default=True)
        is_default = checked.is_default or not has_default
        if is_default and has_default:
            await CustomerAddress.filter(customer_id=customer.id).update(is_default=False)
        address = await CustomerAddress.create(
            customer=customer,
            label=checked.label,
            recipient=checked.recipient,
            line1=checked.line1,
            line2=checked.line2,
            city=checked.city,
            region=checked.region,
            postal_code=checked.postal_code,
            country=checked.country,
            phone=checked.phone,
            is_default=is_default,
        )
        await audit.record(
            "customer.address_added",
            "customer",
            customer.id,
            after={"address_id": str(address.id), "label": address.label, "default": is_default},
        )
    return address


async def remove_address(address_id: UUID) -> None:
    async with in_transaction():
        address = await CustomerAddress.select_for_update().get_or_none(id=address_id)
        if address is None:
            raise NotFound("No customer address with this id.", field="id")
        await address.delete()
        if address.is_default:
            following = await CustomerAddress.filter(customer_id=address.customer_id).order_by(
                "created_at", "id"
            )
            if following:
                following[0].is_default = True
                await following[0].save(update_fields=["is_default"])
        await audit.record(
            "customer.address_removed",
            "customer",
            address.customer_id,
            before={"address_id": str(address_id), "label": address.label},
        )


async def get_customer(customer_id: UUID, field: str = "id") -> Customer:
    customer = await Customer.get_or_none(id=customer_id)
    if customer is None:
        raise NotFound("No customer with this id.", field=field)
    return customer


async def live_customer(customer_id: UUID, field: str = "id", *, lock: bool = False) -> Customer:
    """The customer, unless erased; locked for the transaction when `lock`."""
    rows = Customer.select_for_update() if lock else Customer.all()
    customer = await rows.get_or_none(id=customer_id)
    if customer is None:
        raise NotFound("No customer with this id.", field=field)
    if customer.erased_at is not None:
        raise CustomerErased("This customer was erased.", field=field)
    return customer


async def _email_free(email: str, own: UUID | None) -> None:
    if not email:
        return
    rows = Customer.filter(email__iexact=email, erased_at__isnull=True)
    if own is not None:
        rows = rows.exclude(id=own)
    if await rows.exists():
        raise AlreadyExists("A customer with this e-mail exists.", field="email")


def tag_index(tags: list[str]) -> str:
    return "," + "".join(f"{tag}," for tag in tags)


def _tags(tags: tuple[str, ...] | list[str]) -> list[str]:
    cleaned = sorted({tag.strip().lower() for tag in tags if tag.strip()})
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput(f"At most {MAX_TAGS} tags.", field="tags")
    for tag in cleaned:
        if not TAG.match(tag):
            raise InvalidInput("A tag is 1-40 letters, digits, '-', '_' or '.'.", field="tags")
    return cleaned


def _country(country: str, field: str) -> str:
    country = country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise InvalidInput("A country is a two-letter ISO code.", field=field)
    return country


def _address(spec: AddressSpec) -> AddressSpec:
    p = "address."
    return AddressSpec(
        recipient=text(spec.recipient, f"{p}recipient", max_length=200),
        line1=text(spec.line1, f"{p}line1", max_length=200),
        city=text(spec.city, f"{p}city", max_length=100),
        country=_country(spec.country, f"{p}country"),
        label=text(spec.label, f"{p}label", max_length=50, required=False),
        line2=text(spec.line2, f"{p}line2", max_length=200, required=False),
        region=text(spec.region, f"{p}region", max_length=100, required=False),
        postal_code=text(spec.postal_code, f"{p}postalCode", max_length=20, required=False),
        phone=phone_number(spec.phone, f"{p}phone"),
        is_default=spec.is_default,
    )


__all__ = [
    "AddressSpec",
    "CustomerChanges",
    "CustomerSpec",
    "add_address",
    "create_customer",
    "get_customer",
    "live_customer",
    "remove_address",
    "tag_index",
    "update_customer",
]
