"""The one pricing function: an order's lines, discounts and shipping, the tenant's tax rates and
the currency -> a priced order. Pure, exact `Decimal` arithmetic; every amount is a whole number
of the currency's minor unit (2 decimals for EUR, USD, CNY; 0 for JPY; 3 for KWD).

The rules, in order:

1. **Validate.** Unit prices, discount amounts and shipping are finite, non-negative, at most
   `MAX_MONEY` and have no more decimals than the currency (`INVALID_PRICE`); quantities are
   whole numbers from 1 to `max_quantity` (`INVALID_QUANTITY`); percentages are 0..100
   (`INVALID_DISCOUNT`); each line's tax category is one of the tenant's (`UNKNOWN_TAX_CATEGORY`);
   an order has a line (`INVALID_INPUT`) and no line's subtotal passes `MAX_MONEY`.
2. **Subtotal** of a line = unit price x quantity (exact). It is gross (tax included) when the
   line's tax category has `prices_include_tax`, net otherwise.
3. **Adjustments**, an ordered list of `Adjustment` steps, each taking something off lines'
   remaining amounts (subtotal less the steps before). The default steps are `LineDiscounts`
   (each line's own discounts, in order) then `OrderDiscounts` (order-level ones). Promotions and
   coupons are further steps: `price_order(..., steps=(LINE_DISCOUNTS, promotion,
   ORDER_DISCOUNTS))`. A step gives whole minor units per line, never more than the line has left
   (`DISCOUNT_EXCEEDS_PRICE`). A percentage is rounded half-even to the minor unit.
4. **Allocation** of an order-level amount to lines: proportionally to their remaining amounts,
   each share rounded down to the minor unit, then the minor units left over go one each to the
   lines with the largest cut-off fractions (ties: larger remaining amount, then earlier line),
   the largest-remainder method. Shares sum exactly to the amount and none passes its line.
5. **Tax** per line on its remaining amount `net`, rounded half-even to the minor unit once per
   line: exclusive `net x rate`; inclusive (extracted) `net x rate / (1 + rate)`.
6. **Totals** are sums of rounded parts, never rounded again: a line's total is `net + tax`
   (exclusive) or `net` (inclusive, tax contained); the order's subtotal, discount and tax are
   the sums over lines plus shipping's; its total is the sum of line totals plus shipping's.
7. **Shipping** is taken as given, never discounted by these steps; with a
   `shipping_tax_category` it is taxed like a line (its tax in `shipping_tax` and the order's
   `tax`; added to the total when exclusive), untaxed without one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from typing import Protocol

from merchantops.domain.orders.errors import (
    DiscountExceedsPrice,
    InvalidDiscount,
    InvalidPrice,
    InvalidQuantity,
    UnknownTaxCategory,
)
from merchantops.domain.orders.money import Currency, amount, currency
from merchantops.domain.values import MAX_MONEY
from merchantops.errors import InvalidInput

MAX_QUANTITY = 100_000
HUNDRED = Decimal(100)


class DiscountKind(StrEnum):
    AMOUNT = "AMOUNT"  # an amount off (a line: off the line, not each unit)
    PERCENT = "PERCENT"  # a percentage (0..100) of what is left


@dataclass(frozen=True, slots=True)
class Discount:
    kind: DiscountKind
    value: Decimal
    reason: str = ""


@dataclass(frozen=True, slots=True)
class TaxRate:
    rate: Decimal  # 0.19 for 19 %
    prices_include_tax: bool


@dataclass(frozen=True, slots=True)
class LineInput:
    sku_id: str
    unit_price: Decimal
    quantity: Decimal | int
    tax_category: str
    discounts: tuple[Discount, ...] = ()


@dataclass(frozen=True, slots=True)
class OrderInput:
    currency: str
    lines: tuple[LineInput, ...]
    discounts: tuple[Discount, ...] = ()
    shipping: Decimal = Decimal(0)
    shipping_tax_category: str | None = None


@dataclass(frozen=True, slots=True)
class LineState:
    """A line as the adjustment steps see it: `remaining` is its subtotal less every step so
    far."""

    index: int
    sku_id: str
    quantity: int
    unit_price: Decimal
    tax_category: str
    prices_include_tax: bool
    subtotal: Decimal
    remaining: Decimal
    discounts: tuple[Discount, ...]


class Adjustment(Protocol):
    """One step taking amounts off lines before tax (a discount, a promotion, a coupon)."""

    @property
    def name(self) -> str: ...

    def amounts(
        self, order: OrderInput, lines: Sequence[LineState], money: Currency
    ) -> Sequence[Decimal]:
        """What to take off each line (same order as `lines`): whole minor units, from 0 to
        the line's `remaining`; raise a `DomainError` naming the input at fault otherwise."""
        ...


@dataclass(frozen=True, slots=True)
class AppliedAdjustment:
    name: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PricedLine:
    sku_id: str
    quantity: int
    unit_price: Decimal
    tax_category: str
    prices_include_tax: bool
    subtotal: Decimal
    discount: Decimal
    tax: Decimal
    total: Decimal
    adjustments: tuple[AppliedAdjustment, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class PricedOrder:
    currency: str
    lines: tuple[PricedLine, ...]
    subtotal: Decimal
    discount: Decimal
    shipping: Decimal
    shipping_tax: Decimal
    tax: Decimal
    total: Decimal


def quantity(value: Decimal | int, field: str, limit: int) -> int:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidQuantity("Not a quantity.", field=field) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise InvalidQuantity("A quantity is a whole number.", field=field)
    if number < 1 or number > limit:
        raise InvalidQuantity(f"A quantity is between 1 and {limit}.", field=field)
    return int(number)


def discount_off(discount: Discount, base: Decimal, field: str, money: Currency) -> Decimal:
    """What one discount takes off `base` (what is left): an amount as given, a percentage
    rounded half-even to the minor unit; `DISCOUNT_EXCEEDS_PRICE` above `base`."""
    if discount.kind is DiscountKind.AMOUNT:
        off = amount(discount.value, f"{field}.value", money)
    elif discount.kind is DiscountKind.PERCENT:
        value = Decimal(discount.value)
        if not value.is_finite() or not 0 <= value <= HUNDRED:
            raise InvalidDiscount("A percentage is between 0 and 100.", field=f"{field}.value")
        off = money.round(base * value / HUNDRED)
    else:  # pragma: no cover - the enum is closed
        raise InvalidDiscount("Unknown discount kind.", field=f"{field}.kind")
    if off > base:
        raise DiscountExceedsPrice(f"The discount is more than the {base} left.", field=field)
    return off


def allocate(total: Decimal, weights: Sequence[Decimal], money: Currency) -> list[Decimal]:
    """`total` split over `weights` proportionally in whole minor units, summing exactly
    (largest-remainder method, see the module's rule 4). Requires 0 <= total <= sum(weights)."""
    whole = sum(weights, Decimal(0))
    if total == 0 or whole == 0:
        return [Decimal(0) for _ in weights]
    exact = [total * weight / whole for weight in weights]
    shares = [money.round(value, ROUND_DOWN) for value in exact]
    left_over = int((total - sum(shares, Decimal(0))) / money.unit)
    by_fraction = sorted(
        range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), -weights[i], i)
    )
    for i in by_fraction[:left_over]:
        shares[i] += money.unit
    return shares


@dataclass(frozen=True, slots=True)
class LineDiscounts:
    """Each line's own discounts, in order, each on what the line has left."""

    name: str = "line_discounts"

    def amounts(
        self, order: OrderInput, lines: Sequence[LineState], money: Currency
    ) -> Sequence[Decimal]:
        offs = []
        for line in lines:
            left = line.remaining
            for j, discount in enumerate(line.discounts):
                left -= discount_off(discount, left, f"lines.{line.index}.discounts.{j}", money)
            offs.append(line.remaining - left)
        return offs


@dataclass(frozen=True, slots=True)
class OrderDiscounts:
    """The order-level discounts, in order, each on what the whole order has left and
    allocated to the lines by `allocate`."""

    name: str = "order_discounts"

    def amounts(
        self, order: OrderInput, lines: Sequence[LineState], money: Currency
    ) -> Sequence[Decimal]:
        left = [line.remaining for line in lines]
        for k, discount in enumerate(order.discounts):
            off = discount_off(discount, sum(left, Decimal(0)), f"discounts.{k}", money)
            for i, share in enumerate(allocate(off, left, money)):
                left[i] -= share
        return [line.remaining - rest for line, rest in zip(lines, left, strict=True)]


LINE_DISCOUNTS = LineDiscounts()
ORDER_DISCOUNTS = OrderDiscounts()
DEFAULT_STEPS: tuple[Adjustment, ...] = (LINE_DISCOUNTS, ORDER_DISCOUNTS)


def line_tax(net: Decimal, rate: TaxRate, money: Currency) -> Decimal:
    """The tax of one line's `net` (rule 5), rounded half-even to the minor unit."""
    with localcontext() as context:
        context.prec = 60  # exact enough that rounding the quotient never meets a false tie
        if rate.prices_include_tax:
            return money.round(net * rate.rate / (1 + rate.rate))
        return money.round(net * rate.rate)


def _states(
    order: OrderInput, tax_rates: Mapping[str, TaxRate], money: Currency, max_quantity: int
) -> list[LineState]:
    if not order.lines:
        raise InvalidInput("An order has at least one line.", field="lines")
    states = []
    for i, line in enumerate(order.lines):
        price = amount(line.unit_price, f"lines.{i}.unitPrice", money)
        count = quantity(line.quantity, f"lines.{i}.quantity", max_quantity)
        rate = tax_rates.get(line.tax_category)
        if rate is None:
            raise UnknownTaxCategory(
                f"No tax rate for category {line.tax_category!r}.", field=f"lines.{i}.taxCategory"
            )
        subtotal = price * count
        if subtotal > MAX_MONEY:
            raise InvalidPrice(
                f"A line's subtotal is at most {MAX_MONEY}.", field=f"lines.{i}.quantity"
            )
        states.append(
            LineState(
                index=i,
                sku_id=line.sku_id,
                quantity=count,
                unit_price=price,
                tax_category=line.tax_category,
                prices_include_tax=rate.prices_include_tax,
                subtotal=subtotal,
                remaining=subtotal,
                discounts=line.discounts,
            )
        )
    return states


def _apply(
    step: Adjustment, order: OrderInput, states: list[LineState], money: Currency
) -> tuple[list[LineState], list[Decimal]]:
    offs = list(step.amounts(order, states, money))
    if len(offs) != len(states):
        raise ValueError(f"Adjustment {step.name} gave {len(offs)} amounts for {len(states)}.")
    for state, off in zip(states, offs, strict=True):
        if not off.is_finite() or off < 0 or off != money.round(off, ROUND_DOWN):
            raise ValueError(f"Adjustment {step.name} gave {off}, not whole minor units.")
        if off > state.remaining:
            raise DiscountExceedsPrice(
                f"{step.name} takes more than line {state.index} has left.",
                field=f"lines.{state.index}",
            )
    updated = [
        replace(state, remaining=state.remaining - off)
        for state, off in zip(states, offs, strict=True)
    ]
    return updated, offs


def price_order(
    order: OrderInput,
    tax_rates: Mapping[str, TaxRate],
    *,
    steps: Sequence[Adjustment] = DEFAULT_STEPS,
    max_quantity: int = MAX_QUANTITY,
) -> PricedOrder:
    """The priced order by the module's rules; a `DomainError` naming the input at fault."""
    money = currency(order.currency)
    shipping = amount(order.shipping, "shipping", money)
    states = _states(order, tax_rates, money, max_quantity)
    shipping_tax = shipping_added = Decimal(0)
    if order.shipping_tax_category is not None:
        shipping_rate = tax_rates.get(order.shipping_tax_category)
        if shipping_rate is None:
            raise UnknownTaxCategory(
                f"No tax rate for category {order.shipping_tax_category!r}.",
                field="shippingTaxCategory",
            )
        shipping_tax = line_tax(shipping, shipping_rate, money)
        shipping_added = Decimal(0) if shipping_rate.prices_include_tax else shipping_tax
    applied: list[list[AppliedAdjustment]] = [[] for _ in states]
    for step in steps:
        states, offs = _apply(step, order, states, money)
        for i, off in enumerate(offs):
            if off:
                applied[i].append(AppliedAdjustment(step.name, off))
    lines = []
    for state, adjustments in zip(states, applied, strict=True):
        rate = tax_rates[state.tax_category]
        tax = line_tax(state.remaining, rate, money)
        lines.append(
            PricedLine(
                sku_id=state.sku_id,
                quantity=state.quantity,
                unit_price=state.unit_price,
                tax_category=state.tax_category,
                prices_include_tax=state.prices_include_tax,
                subtotal=state.subtotal,
                discount=state.subtotal - state.remaining,
                tax=tax,
                total=state.remaining if state.prices_include_tax else state.remaining + tax,
                adjustments=tuple(adjustments),
            )
        )
    zero = Decimal(0)
    return PricedOrder(
        currency=money.code,
        lines=tuple(lines),
        subtotal=sum((line.subtotal for line in lines), zero),
        discount=sum((line.discount for line in lines), zero),
        shipping=shipping,
        shipping_tax=shipping_tax,
        tax=sum((line.tax for line in lines), shipping_tax),
        total=sum((line.total for line in lines), zero) + shipping + shipping_added,
    )


__all__ = [
    "DEFAULT_STEPS",
    "LINE_DISCOUNTS",
    "MAX_QUANTITY",
    "ORDER_DISCOUNTS",
    "Adjustment",
    "AppliedAdjustment",
    "Discount",
    "DiscountKind",
    "LineDiscounts",
    "LineInput",
    "LineState",
    "OrderDiscounts",
    "OrderInput",
    "PricedLine",
    "PricedOrder",
    "TaxRate",
    "allocate",
    "line_tax",
    "price_order",
]
