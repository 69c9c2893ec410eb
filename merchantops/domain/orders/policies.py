"""A tenant's order policies: its settings (currency, confirmation, expiry, return window,
payment provider, quality threshold), tax categories, SKUs' tax category and returnability,
and the reasons customers may give for a return. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.catalog.models import Sku
from merchantops.domain.orders.models import OrderSettings, ReturnReason, SkuOrderPolicy, TaxRate
from merchantops.domain.orders.money import currency
from merchantops.domain.orders.pricing import TaxRate as PricingRate
from merchantops.domain.values import text
from merchantops.errors import AlreadyExists, InvalidInput, NotFound
from merchantops.tenants import audit

DEFAULT_TAX_CATEGORY = "standard"
PROVIDERS = ("manual", "test")
CODE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(frozen=True, slots=True)
class SettingsChanges:
    """What an update sets; None leaves a setting as it is."""

    currency: str | None = None
    confirm_partner_orders: bool | None = None
    expire_unconfirmed_after_hours: int | None = None
    return_window_days: int | None = None
    payment_provider: str | None = None
    quality_return_threshold: int | None = None
    quality_period_days: int | None = None


async def order_settings() -> OrderSettings:
    """The tenant's settings, created with the defaults on first use."""
    found = await OrderSettings.first()
    if found is None:
        found, _ = await OrderSettings.get_or_create()
    return found


def _whole(value: int, field: str, low: int, high: int) -> int:
    if not low <= value <= high:
        raise InvalidInput(f"Between {low} and {high}.", field=field)
    return value


async def update_settings(changes: SettingsChanges) -> OrderSettings:
    values: dict[str, Any] = {}
    if changes.currency is not None:
        values["currency"] = currency(changes.currency).code
    if changes.confirm_partner_orders is not None:
        values["confirm_partner_orders"] = changes.confirm_partner_orders
    if changes.expire_unconfirmed_after_hours is not None:
        values["expire_unconfirmed_after_hours"] = _whole(
            changes.expire_unconfirmed_after_hours, "expireUnconfirmedAfterHours", 1, 24 * 90
        )
    if changes.return_window_days is not None:
        values["return_window_days"] = _whole(
            changes.return_window_days, "returnWindowDays", 0, 365
        )
    if changes.payment_provider is not None:
        if changes.payment_provider not in PROVIDERS:
            raise InvalidInput(
                f"A provider is one of {', '.join(PROVIDERS)}.", field="paymentProvider"
            )
        values["payment_provider"] = changes.payment_provider
    if changes.quality_return_threshold is not None:
        values["quality_return_threshold"] = _whole(
            changes.quality_return_threshold, "qualityReturnThreshold", 1, 100_000
        )
    if changes.quality_period_days is not None:
        values["quality_period_days"] = _whole(
            changes.quality_period_days, "qualityPeriodDays", 1, 365
        )
    async with in_transaction():
        settings = await order_settings()
        settings = await OrderSettings.select_for_update().get(id=settings.id)
        before = {key: getattr(settings, key) for key in values}
        changed = [key for key, value in values.items() if before[key] != value]
        if not changed:
            return settings
        for key in changed:
            setattr(settings, key, values[key])
        await settings.save(update_fields=[*changed, "updated_at"])
        await audit.record(
            "order_settings.updated",
            "order_settings",
            settings.id,
            before={key: before[key] for key in changed},
            after={key: values[key] for key in changed},
        )
    return settings


def _category(value: str, field: str = "category") -> str:
    value = value.strip().lower()
    if not 1 <= len(value) <= 32 or not set(value) <= CODE_CHARS:
        raise InvalidInput("A code is 1-32 of a-z, 0-9, _ and -.", field=field)
    return value


def _rate(value: Decimal | str) -> Decimal:
    try:
        rate = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput("Not a rate.", field="rate") from None
    if not rate.is_finite() or not 0 <= rate < 1 or rate != rate.quantize(Decimal("0.00001")):
        raise InvalidInput(
            "A rate is a fraction from 0 to below 1 (0.13 for 13%), 5 decimals.", field="rate"
        )
    return rate


async def set_tax_rate(category: str, rate: Decimal | str, prices_include_tax: bool) -> TaxRate:
    """Create or change one tax category. A change prices new orders only."""
    code, value = _category(category), _rate(rate)
    async with in_transaction():
        found = await TaxRate.select_for_update().get_or_none(category=code)
        before = (
            None
            if found is None
            else {"rate": str(found.rate), "inclusive": found.prices_include_tax}
        )
        if found is None:
            found = await TaxRate.create(
                category=code, rate=value, prices_include_tax=prices_include_tax
            )
        else:
            found.rate, found.prices_include_tax = value, prices_include_tax
            await found.save(update_fields=["rate", "prices_include_tax", "updated_at"])
        await audit.record(
            "tax_rate.set",
            "tax_rate",
            found.id,
            before=before,
            after={"category": code, "rate": str(value), "inclusive": prices_include_tax},
        )
    return found


async def tax_rates() -> dict[str, PricingRate]:
    return {
        rate.category: PricingRate(Decimal(rate.rate), rate.prices_include_tax)
        for rate in await TaxRate.all()
    }


async def set_sku_policy(
    sku_id: UUID, *, tax_category: str | None = None, returnable: bool | None = None
) -> SkuOrderPolicy:
    if not await Sku.exists(id=sku_id):
        raise NotFound("No SKU with this id.", field="skuId")
    values: dict[str, Any] = {}
    if tax_category is not None:
        code = _category(tax_category, "taxCategory")
        if not await TaxRate.exists(category=code):
            raise NotFound(f"No tax category {code!r}.", field="taxCategory")
        values["tax_category"] = code
    if returnable is not None:
        values["returnable"] = returnable
    async with in_transaction():
        policy = await SkuOrderPolicy.select_for_update().get_or_none(sku_id=sku_id)
        if policy is None:
            policy = await SkuOrderPolicy.create(sku_id=sku_id, **values)
        elif values:
            for key, value in values.items():
                setattr(policy, key, value)
            await policy.save(update_fields=list(values))
        await audit.record(
            "sku_order_policy.set", "sku", sku_id, after={key: values[key] for key in values}
        )
    return policy


async def sku_policies(sku_ids: list[UUID]) -> dict[UUID, SkuOrderPolicy]:
    return {policy.sku_id: policy for policy in await SkuOrderPolicy.filter(sku_id__in=sku_ids)}


async def create_return_reason(code: str, label: str) -> ReturnReason:
    value = _category(code, "code")
    name = text(label, "label", max_length=200)
    async with in_transaction():
        if await ReturnReason.exists(code=value):
            raise AlreadyExists(f"A return reason {value!r} exists.", field="code")
        reason = await ReturnReason.create(code=value, label=name)
        await audit.record(
            "return_reason.created", "return_reason", reason.id, after={"code": value}
        )
    return reason


async def update_return_reason(id: UUID, *, label: str | None, active: bool | None) -> ReturnReason:
    async with in_transaction():
        reason = await ReturnReason.select_for_update().get_or_none(id=id)
        if reason is None:
            raise NotFound("No return reason with this id.", field="id")
        before = {"label": reason.label, "active": reason.active}
        if label is not None:
            reason.label = text(label, "label", max_length=200)
        if active is not None:
            reason.active = active
        await reason.save(update_fields=["label", "active"])
        await audit.record(
            "return_reason.updated",
            "return_reason",
            reason.id,
            before=before,
            after={"label": reason.label, "active": reason.active},
        )
    return reason


STANDARD_REASONS = (
    ("damaged", "Arrived damaged"),
    ("defective", "Defective or does not work"),
    ("wrong_item", "Wrong item sent"),
    ("not_as_described", "Not as described"),
    ("changed_mind", "Changed my mind (7-day no-reason return)"),
)


async def install_defaults() -> None:
    """A new tenant's defaults: its settings, a standard 13% VAT-inclusive category, a
    reduced 9% one, and the standard's return reasons. Idempotent."""
    await order_settings()
    for category, rate in ((DEFAULT_TAX_CATEGORY, "0.13"), ("reduced", "0.09"), ("zero", "0")):
        if not await TaxRate.exists(category=category):
            await TaxRate.create(category=category, rate=Decimal(rate), prices_include_tax=True)
    for code, label in STANDARD_REASONS:
        if not await ReturnReason.exists(code=code):
            await ReturnReason.create(code=code, label=label)


__all__ = [
    "DEFAULT_TAX_CATEGORY",
    "PROVIDERS",
    "STANDARD_REASONS",
    "SettingsChanges",
    "create_return_reason",
    "install_defaults",
    "order_settings",
    "set_sku_policy",
    "set_tax_rate",
    "sku_policies",
    "tax_rates",
    "update_return_reason",
    "update_settings",
]
