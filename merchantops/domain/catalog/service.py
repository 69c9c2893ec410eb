"""Products, SKUs, lifecycle stages and governed price changes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from merchantops.domain.catalog.errors import InvalidTransition
from merchantops.domain.catalog.models import TRANSITIONS, LifecycleStage, Product, Sku
from merchantops.domain.governance import approvals
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.governance.models import ApprovalRequest
from merchantops.domain.values import money, text
from merchantops.errors import AlreadyExists, InvalidInput, NotFound
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants import audit, outbox
from merchantops.tenants.accounts import EMAIL_PATTERN

PRICE_CHANGE = "product.price_change"


@dataclass(frozen=True, slots=True)
class SkuSpec:
    code: str
    name: str
    price: Decimal
    cost: Decimal


async def create_product(
    name: str,
    *,
    category: str = "",
    description: str = "",
    contact_name: str = "",
    contact_email: str = "",
    skus: list[SkuSpec] | None = None,
) -> Product:
    name = text(name, "name", max_length=200)
    contact = _contact(contact_name, contact_email)
    category = text(category, "category", max_length=100, required=False)
    description = text(description, "description", max_length=5000, required=False)
    specs = [_checked(spec, f"skus.{index}") for index, spec in enumerate(skus or [])]
    codes = [spec.code for spec in specs]
    if len(set(codes)) != len(codes):
        raise InvalidInput("SKU codes repeat.", field="skus")
    async with in_transaction():
        product = await Product.create(
            name=name,
            category=category,
            description=description,
            contact_name=contact["contact_name"],
            contact_email=contact["contact_email"],
        )
        for index, spec in enumerate(specs):
            await _create_sku(product, spec, f"skus.{index}.code")
        await audit.record(
            "product.created",
            "product",
            product.id,
            after={"name": name, "category": category, "skus": codes},
        )
        await outbox.emit("product.created", {"id": str(product.id), "name": name})
    return product


async def update_product(
    id: UUID,
    *,
    name: str | None = None,
    category: str | None = None,
    description: str | None = None,
    contact_name: str | None = None,
    contact_email: str | None = None,
) -> Product:
    product = await _product(id)
    changes: dict[str, Any] = {}
    if contact_name is not None or contact_email is not None:
        changes.update(
            _contact(
                product.contact_name if contact_name is None else contact_name,
                product.contact_email if contact_email is None else contact_email,
            )
        )
    if name is not None:
        changes["name"] = text(name, "name", max_length=200)
    if category is not None:
        changes["category"] = text(category, "category", max_length=100, required=False)
    if description is not None:
        changes["description"] = text(description, "description", max_length=5000, required=False)
    before = {key: getattr(product, key) for key in changes}
    async with in_transaction():
        product.update_from_dict(changes)
        await product.save()
        await audit.record("product.updated", "product", id, before=before, after=changes)
    return product


async def change_stage(id: UUID, stage: LifecycleStage) -> Product:
    async with in_transaction():
        product = await Product.select_for_update().get_or_none(id=id)
        if product is None:
            raise NotFound("No product with this id.", field="id")
        if stage not in TRANSITIONS[product.stage]:
            allowed = ", ".join(sorted(s.value for s in TRANSITIONS[product.stage])) or "none"
            raise InvalidTransition(
                f"A product in {product.stage.value} cannot move to {stage.value} "
                f"(allowed: {allowed}).",
                field="stage",
            )
        before = product.stage
        product.stage = stage
        await product.save(update_fields=["stage", "updated_at"])
        await audit.record(
            "product.stage_changed",
            "product",
            id,
            before={"stage": before.value},
            after={"stage": stage.value},
        )
        await outbox.emit(
            "product.stage_changed",
            {"id": str(id), "from": before.value, "to": stage.value},
        )
    return product


async def add_sku(product_id: UUID, spec: SkuSpec) -> Sku:
    spec = _checked(spec, "")
    async with in_transaction():
        product = await _product(product_id, field="productId")
        if product.stage is LifecycleStage.RETIRED:
            raise InvalidTransition("A retired product gets no new SKUs.", field="productId")
        sku = await _create_sku(product, spec, "code")
        await audit.record(
            "sku.created",
            "sku",
            sku.id,
            after={"code": sku.code, "price": str(sku.price), "cost": str(sku.cost)},
        )
    return sku


async def change_price(
    evaluator: RuleEvaluator, actor: Actor, sku_id: UUID, price: Decimal
) -> tuple[Sku, ApprovalRequest | None]:
    """Set a SKU's price, or hold the change for approval when the rules say so."""
    price = money(price, "price")
    async with in_transaction():
        sku = await Sku.select_for_update().get_or_none(id=sku_id)
        if sku is None:
            raise NotFound("No SKU with this id.", field="skuId")
        pending = await approvals.governed(
            evaluator,
            actor,
            PRICE_CHANGE,
            _price_fact(sku, price),
            subject=("sku", sku.id),
            payload={"price": str(price)},
        )
        if pending is None:
            await _set_price(sku, price)
    return sku, pending


async def apply_approved_price(
    request: ApprovalRequest, evaluator: RuleEvaluator, actor: Actor
) -> None:
    sku = await Sku.select_for_update().get(id=request.subject_id)
    price = Decimal(str(request.payload["price"]))
    await approvals.governed(
        evaluator,
        actor,
        PRICE_CHANGE,
        _price_fact(sku, price),
        subject=("sku", sku.id),
        approved=True,
    )
    await _set_price(sku, price)


def _price_fact(sku: Sku, price: Decimal) -> dict[str, Any]:
    ratio = float((price - sku.price) / sku.price) if sku.price else (1.0 if price else 0.0)
    return {
        "sku": {"code": sku.code},
        "price": {"old": float(sku.price), "new": float(price), "change_ratio": ratio},
    }


async def _set_price(sku: Sku, price: Decimal) -> None:
    before = sku.price
    sku.price = price
    await sku.save(update_fields=["price", "updated_at"])
    await audit.record(
        "sku.price_changed",
        "sku",
        sku.id,
        before={"price": str(before)},
        after={"price": str(price)},
    )
    await outbox.emit(
        "sku.price_changed",
        {"id": str(sku.id), "code": sku.code, "old": str(before), "new": str(price)},
    )


def _contact(name: str, email: str) -> dict[str, str]:
    email = email.strip()
    if email and not EMAIL_PATTERN.match(email):
        raise InvalidInput("Not an e-mail address.", field="contactEmail")
    return {
        "contact_name": text(name, "contactName", max_length=200, required=False),
        "contact_email": text(email, "contactEmail", max_length=254, required=False),
    }


def _checked(spec: SkuSpec, prefix: str) -> SkuSpec:
    dot = f"{prefix}." if prefix else ""
    code = text(spec.code, f"{dot}code", max_length=64)
    if not code.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise InvalidInput("A SKU code uses letters, digits, '-', '_' or '.'.", field=f"{dot}code")
    return SkuSpec(
        code=code,
        name=text(spec.name, f"{dot}name", max_length=200),
        price=money(spec.price, f"{dot}price"),
        cost=money(spec.cost, f"{dot}cost"),
    )


async def _create_sku(product: Product, spec: SkuSpec, field: str) -> Sku:
    if await Sku.exists(code=spec.code):
        raise AlreadyExists(f"A SKU with code '{spec.code}' exists.", field=field)
    try:
        return await Sku.create(
            product=product, code=spec.code, name=spec.name, price=spec.price, cost=spec.cost
        )
    except IntegrityError:
        raise AlreadyExists(f"A SKU with code '{spec.code}' exists.", field=field) from None


async def _product(id: UUID, field: str = "id") -> Product:
    product = await Product.get_or_none(id=id)
    if product is None:
        raise NotFound("No product with this id.", field=field)
    return product


__all__ = [
    "PRICE_CHANGE",
    "SkuSpec",
    "add_sku",
    "apply_approved_price",
    "change_price",
    "change_stage",
    "create_product",
    "update_product",
]
