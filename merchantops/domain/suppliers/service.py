"""Suppliers, their contacts, and scorecards graded A-D by the tenant's weights.

Score = quality * w_q + delivery * w_d + price * w_p + service * w_s, each criterion 0-100 and
the weights summing to 1. The grade is the first of A, B, C whose threshold the score reaches,
else D. Every evaluation keeps the weights it used and the grade before it: the grade history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.suppliers.models import (
    Grade,
    ScoringPolicy,
    Supplier,
    SupplierContact,
    SupplierEvaluation,
)
from merchantops.domain.values import email_address, phone_number, text
from merchantops.errors import AlreadyExists, InvalidInput, NotFound
from merchantops.tenants import audit, outbox
from merchantops.tenants.context import current_actor

CRITERIA = ("quality", "delivery", "price", "service")


@dataclass(frozen=True, slots=True)
class ContactSpec:
    full_name: str
    title: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Scores:
    quality: int
    delivery: int
    price: int
    service: int


@dataclass(frozen=True, slots=True)
class Weights:
    quality: Decimal
    delivery: Decimal
    price: Decimal
    service: Decimal
    grade_a_from: int
    grade_b_from: int
    grade_c_from: int


async def create_supplier(
    code: str, name: str, *, country: str = "", contacts: list[ContactSpec] | None = None
) -> Supplier:
    code = _code(code)
    name = text(name, "name", max_length=200)
    country = _country(country)
    checked = [_contact(spec, f"contacts.{index}") for index, spec in enumerate(contacts or [])]
    async with in_transaction():
        if await Supplier.exists(code=code):
            raise AlreadyExists(f"A supplier with code '{code}' exists.", field="code")
        supplier = await Supplier.create(code=code, name=name, country=country)
        for spec in checked:
            await _create_contact(supplier, spec)
        await audit.record(
            "supplier.created",
            "supplier",
            supplier.id,
            after={"code": code, "name": name, "contacts": len(checked)},
        )
        await outbox.emit("supplier.created", {"id": str(supplier.id), "code": code})
    return supplier


async def add_contact(supplier_id: UUID, spec: ContactSpec) -> SupplierContact:
    checked = _contact(spec, "")
    async with in_transaction():
        supplier = await get_supplier(supplier_id, field="supplierId")
        contact = await _create_contact(supplier, checked)
        await audit.record(
            "supplier.contact_added",
            "supplier_contact",
            contact.id,
            after={"supplier": str(supplier.id), **_fields(checked)},
        )
        await outbox.emit(
            "supplier.contact_added",
            {"supplier": {"id": str(supplier.id), "code": supplier.code}, **_fields(checked)},
        )
    return contact


async def remove_contact(contact_id: UUID) -> None:
    async with in_transaction():
        contact = await SupplierContact.get_or_none(id=contact_id)
        if contact is None:
            raise NotFound("No supplier contact with this id.", field="id")
        await contact.delete()
        await audit.record(
            "supplier.contact_removed",
            "supplier_contact",
            contact_id,
            before={"supplier": str(contact.supplier_id), "full_name": contact.full_name},
        )


async def scoring_policy() -> ScoringPolicy:
    """The tenant's weights; the defaults until an admin sets their own."""
    policy = await ScoringPolicy.first()
    return policy if policy is not None else ScoringPolicy()


async def set_scoring_policy(weights: Weights) -> ScoringPolicy:
    values = [weights.quality, weights.delivery, weights.price, weights.service]
    if any(not w.is_finite() or w < 0 or w > 1 for w in values) or sum(values) != Decimal(1):
        raise InvalidInput("The four weights are between 0 and 1 and sum to 1.", field="weights")
    if not 100 >= weights.grade_a_from > weights.grade_b_from > weights.grade_c_from >= 0:
        raise InvalidInput("Grade thresholds fall from A to C, within 0-100.", field="gradeAFrom")
    async with in_transaction():
        policy = await ScoringPolicy.select_for_update().first()
        before = _policy_dict(policy) if policy else {}
        policy = policy or ScoringPolicy()
        policy.quality_weight, policy.delivery_weight = weights.quality, weights.delivery
        policy.price_weight, policy.service_weight = weights.price, weights.service
        policy.grade_a_from = weights.grade_a_from
        policy.grade_b_from = weights.grade_b_from
        policy.grade_c_from = weights.grade_c_from
        await policy.save()
        await audit.record(
            "supplier.scoring_policy_set",
            "supplier_scoring_policy",
            policy.id,
            before=before,
            after=_policy_dict(policy),
        )
    return policy


def grade_for(score: Decimal, policy: ScoringPolicy) -> Grade:
    if score >= policy.grade_a_from:
        return Grade.A
    if score >= policy.grade_b_from:
        return Grade.B
    if score >= policy.grade_c_from:
        return Grade.C
    return Grade.D


def score_of(scores: Scores, policy: ScoringPolicy) -> Decimal:
    total = (
        scores.quality * Decimal(policy.quality_weight)
        + scores.delivery * Decimal(policy.delivery_weight)
        + scores.price * Decimal(policy.price_weight)
        + scores.service * Decimal(policy.service_weight)
    )
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


async def evaluate(
    supplier_id: UUID, scores: Scores, *, period: str = "", notes: str = ""
) -> SupplierEvaluation:
    """Record a scorecard and move the supplier to the grade it gives."""
    for criterion in CRITERIA:
        if not 0 <= getattr(scores, criterion) <= 100:
            raise InvalidInput("A criterion is scored 0 to 100.", field=criterion)
    period = text(period, "period", max_length=20, required=False)
    notes = text(notes, "notes", max_length=2000, required=False)
    policy = await scoring_policy()
    score = score_of(scores, policy)
    grade = grade_for(score, policy)
    async with in_transaction():
        supplier = await Supplier.select_for_update().get_or_none(id=supplier_id)
        if supplier is None:
            raise NotFound("No supplier with this id.", field="supplierId")
        evaluation = await SupplierEvaluation.create(
            supplier=supplier,
            quality=scores.quality,
            delivery=scores.delivery,
            price=scores.price,
            service=scores.service,
            weights=_policy_dict(policy),
            score=score,
            grade=grade,
            previous_grade=supplier.grade,
            period=period,
            notes=notes,
            evaluated_by=current_actor()[:100],
        )
        before = {"grade": supplier.grade.value if supplier.grade else None}
        supplier.grade, supplier.score = grade, score
        await supplier.save(update_fields=["grade", "score", "updated_at"])
        await audit.record(
            "supplier.evaluated",
            "supplier",
            supplier.id,
            before=before,
            after={"grade": grade.value, "score": str(score)},
        )
        await outbox.emit(
            "supplier.evaluated",
            {
                "supplier": {"id": str(supplier.id), "code": supplier.code},
                "grade": grade.value,
                "previous_grade": before["grade"],
                "score": float(score),
            },
        )
    return evaluation


async def get_supplier(id: UUID, field: str = "id") -> Supplier:
    supplier = await Supplier.get_or_none(id=id)
    if supplier is None:
        raise NotFound("No supplier with this id.", field=field)
    return supplier


def _policy_dict(policy: ScoringPolicy) -> dict[str, object]:
    return {
        "quality": str(policy.quality_weight),
        "delivery": str(policy.delivery_weight),
        "price": str(policy.price_weight),
        "service": str(policy.service_weight),
        "grade_a_from": policy.grade_a_from,
        "grade_b_from": policy.grade_b_from,
        "grade_c_from": policy.grade_c_from,
    }


def _code(code: str) -> str:
    code = text(code, "code", max_length=64)
    if not re.fullmatch(r"[A-Za-z0-9._-]+", code):
        raise InvalidInput("A code uses letters, digits, '-', '_' or '.'.", field="code")
    return code


def _country(country: str) -> str:
    country = country.strip().upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise InvalidInput("A country is a two-letter ISO code.", field="country")
    return country


def _contact(spec: ContactSpec, prefix: str) -> ContactSpec:
    dot = f"{prefix}." if prefix else ""
    email = email_address(spec.email, f"{dot}email")
    phone = phone_number(spec.phone, f"{dot}phone")
    return ContactSpec(
        full_name=text(spec.full_name, f"{dot}fullName", max_length=200),
        title=text(spec.title, f"{dot}title", max_length=100, required=False),
        email=email,
        phone=phone,
    )


async def _create_contact(supplier: Supplier, spec: ContactSpec) -> SupplierContact:
    return await SupplierContact.create(
        supplier=supplier,
        full_name=spec.full_name,
        title=spec.title,
        email=spec.email,
        phone=spec.phone,
    )


def _fields(spec: ContactSpec) -> dict[str, str]:
    return {
        "full_name": spec.full_name,
        "title": spec.title,
        "email": spec.email,
        "phone": spec.phone,
    }


__all__ = [
    "ContactSpec",
    "Scores",
    "Weights",
    "add_contact",
    "create_supplier",
    "evaluate",
    "get_supplier",
    "grade_for",
    "remove_contact",
    "score_of",
    "scoring_policy",
    "set_scoring_policy",
]
