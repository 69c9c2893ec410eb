"""A tenant's order policies: settings and tax categories (`tenant:write`), SKUs' tax
category and returnability and the return reasons (`order:write`)."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.orders.types import (
    OrderSettingsNode,
    ReturnReasonNode,
    SkuOrderPolicyNode,
    TaxRateNode,
)
from merchantops.domain.orders import policies

WRITE = TenantPermission("order", "write")
TENANT = TenantPermission("tenant", "write")


@strawberry.input(description="Fields left out (or null) stay as they are.")
class UpdateOrderSettingsInput:
    currency: str | None = None
    confirm_partner_orders: bool | None = None
    expire_unconfirmed_after_hours: int | None = None
    return_window_days: int | None = None
    payment_provider: str | None = strawberry.field(default=None, description="manual or test")
    quality_return_threshold: int | None = None
    quality_period_days: int | None = None


@strawberry.type
class OrderSettingsPayload:
    settings: OrderSettingsNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class SetTaxRateInput:
    category: str
    rate: Decimal = strawberry.field(description="0.13 for 13%.")
    prices_include_tax: bool = True


@strawberry.type
class TaxRatePayload:
    tax_rate: TaxRateNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class SetSkuOrderPolicyInput:
    sku_id: strawberry.ID
    tax_category: str | None = None
    returnable: bool | None = None


@strawberry.type
class SkuOrderPolicyPayload:
    policy: SkuOrderPolicyNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CreateReturnReasonInput:
    code: str
    label: str


@strawberry.input
class UpdateReturnReasonInput:
    id: strawberry.ID
    label: str | None = None
    active: bool | None = None


@strawberry.type
class ReturnReasonPayload:
    reason: ReturnReasonNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OrderSettingsMutation:
    @strawberry.mutation(extensions=[requires(TENANT)])
    async def update_order_settings(self, input: UpdateOrderSettingsInput) -> OrderSettingsPayload:
        settings = await policies.update_settings(
            policies.SettingsChanges(
                currency=input.currency,
                confirm_partner_orders=input.confirm_partner_orders,
                expire_unconfirmed_after_hours=input.expire_unconfirmed_after_hours,
                return_window_days=input.return_window_days,
                payment_provider=input.payment_provider,
                quality_return_threshold=input.quality_return_threshold,
                quality_period_days=input.quality_period_days,
            )
        )
        return OrderSettingsPayload(settings=OrderSettingsNode.from_model(settings))

    @strawberry.mutation(
        extensions=[requires(TENANT)], description="Create or change a tax category (new orders)."
    )
    async def set_tax_rate(self, input: SetTaxRateInput) -> TaxRatePayload:
        rate = await policies.set_tax_rate(input.category, input.rate, input.prices_include_tax)
        return TaxRatePayload(tax_rate=TaxRateNode.from_model(rate))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def set_sku_order_policy(self, input: SetSkuOrderPolicyInput) -> SkuOrderPolicyPayload:
        policy = await policies.set_sku_policy(
            decode_id(input.sku_id, "Sku", "skuId"),
            tax_category=input.tax_category,
            returnable=input.returnable,
        )
        return SkuOrderPolicyPayload(policy=SkuOrderPolicyNode.from_model(policy))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def create_return_reason(self, input: CreateReturnReasonInput) -> ReturnReasonPayload:
        reason = await policies.create_return_reason(input.code, input.label)
        return ReturnReasonPayload(reason=ReturnReasonNode.from_model(reason))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def update_return_reason(self, input: UpdateReturnReasonInput) -> ReturnReasonPayload:
        reason = await policies.update_return_reason(
            decode_id(input.id, "ReturnReason"), label=input.label, active=input.active
        )
        return ReturnReasonPayload(reason=ReturnReasonNode.from_model(reason))


__all__ = ["OrderSettingsMutation"]
