"""The pricing function: hand-picked cases, every refusal with its field, and properties against
a plain reference computed with `Fraction`s."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from merchantops.domain.orders.errors import DiscountExceedsPrice
from merchantops.domain.orders.money import Currency
from merchantops.domain.orders.pricing import (
    LINE_DISCOUNTS,
    ORDER_DISCOUNTS,
    Discount,
    DiscountKind,
    LineInput,
    LineState,
    OrderInput,
    TaxRate,
    allocate,
    price_order,
)
from merchantops.errors import DomainError

D = Decimal
RATES = {
    "standard": TaxRate(D("0.19"), prices_include_tax=False),
    "reduced": TaxRate(D("0.07"), prices_include_tax=False),
    "gross": TaxRate(D("0.19"), prices_include_tax=True),
    "gross_jp": TaxRate(D("0.10"), prices_include_tax=True),
    "zero": TaxRate(D("0"), prices_include_tax=False),
}
EUR = Currency("EUR", 2)


def line(
    price: str, quantity: int | str = 1, category: str = "standard", *d: Discount
) -> LineInput:
    qty: int | Decimal = quantity if isinstance(quantity, int) else D(quantity)
    return LineInput("sku", D(price), qty, category, tuple(d))


def off(value: str) -> Discount:
    return Discount(DiscountKind.AMOUNT, D(value))


def pct(value: str) -> Discount:
    return Discount(DiscountKind.PERCENT, D(value))


def order(
    *lines: LineInput,
    currency: str = "EUR",
    discounts: Sequence[Discount] = (),
    shipping: str = "0",
    shipping_tax: str | None = None,
) -> OrderInput:
    return OrderInput(currency, tuple(lines), tuple(discounts), D(shipping), shipping_tax)


# --- hand-picked ---------------------------------------------------------------------------


def test_exclusive_tax_is_added_and_rounded_per_line() -> None:
    priced = price_order(order(line("19.99", 3), line("0.99", 1, "reduced")), RATES)

    first, second = priced.lines
    assert (first.subtotal, first.tax, first.total) == (D("59.97"), D("11.39"), D("71.36"))
    assert (second.subtotal, second.tax, second.total) == (D("0.99"), D("0.07"), D("1.06"))
    assert (priced.subtotal, priced.tax, priced.total) == (D("60.96"), D("11.46"), D("72.42"))


def test_inclusive_tax_is_extracted_and_the_total_is_the_gross_price() -> None:
    priced = price_order(order(line("119.00", 1, "gross"), line("10.00", 1, "gross")), RATES)

    assert [item.tax for item in priced.lines] == [D("19.00"), D("1.60")]  # 1.5966 -> 1.60
    assert priced.total == D("129.00")
    assert priced.tax == D("20.60")


def test_jpy_has_no_minor_unit_and_kwd_three() -> None:
    yen = price_order(order(line("1234", 3), line("1100", 1, "gross_jp"), currency="JPY"), RATES)
    dinar = price_order(order(line("1.234", 1, "reduced"), currency="KWD"), RATES)

    assert [(item.tax, item.total) for item in yen.lines] == [(D(703), D(4405)), (D(100), D(1100))]
    assert yen.total == D(5505)
    assert (dinar.tax, dinar.total) == (D("0.086"), D("1.320"))  # 0.08638 -> 0.086


@pytest.mark.parametrize(
    ("price", "tax"),
    [("0.25", "0.02"), ("0.35", "0.04"), ("0.15", "0.02"), ("0.05", "0.00")],  # 10 %: x.xx5 ties
)
def test_a_tie_rounds_half_even(price: str, tax: str) -> None:
    rates = {"ten": TaxRate(D("0.10"), prices_include_tax=False)}

    assert price_order(order(line(price, 1, "ten")), rates).tax == D(tax)


def test_an_order_discount_is_allocated_so_the_parts_sum_exactly() -> None:
    three = order(line("10.00"), line("10.00"), line("10.00"), discounts=[off("10.00")])
    tiny = order(line("0.01"), line("0.01"), line("0.01"), discounts=[off("0.02")])

    assert [item.discount for item in price_order(three, RATES).lines] == [
        D("3.34"),
        D("3.33"),
        D("3.33"),
    ]
    assert [item.discount for item in price_order(tiny, RATES).lines] == [
        D("0.01"),
        D("0.01"),
        D("0"),
    ]


def test_line_then_order_discounts_apply_in_order_each_on_what_is_left() -> None:
    priced = price_order(
        order(
            line("20.00", 2, "standard", pct("10"), off("1.00")),
            line("5.00"),
            discounts=[pct("50")],
            shipping="4.90",
        ),
        RATES,
    )

    first, second = priced.lines
    # 40.00 -10 % = 36.00 - 1.00 = 35.00; with 5.00 the order has 40.00, half off: 20.00
    assert (first.discount, second.discount) == (D("22.50"), D("2.50"))
    assert [(a.name, a.amount) for a in first.adjustments] == [
        ("line_discounts", D("5.00")),
        ("order_discounts", D("17.50")),
    ]
    assert priced.total == D("17.50") + D("3.32") + D("2.50") + D("0.48") + D("4.90")


def test_shipping_is_taxed_like_a_line_when_it_has_a_category() -> None:
    net = price_order(order(line("10.00"), shipping="4.99", shipping_tax="standard"), RATES)
    gross = price_order(order(line("10.00"), shipping="5.95", shipping_tax="gross"), RATES)
    untaxed = price_order(order(line("10.00"), shipping="4.99"), RATES)

    assert (net.shipping_tax, net.tax, net.total) == (D("0.95"), D("2.85"), D("17.84"))
    assert (gross.shipping_tax, gross.tax, gross.total) == (D("0.95"), D("2.85"), D("17.85"))
    assert (untaxed.shipping_tax, untaxed.tax, untaxed.total) == (D(0), D("1.90"), D("16.89"))


@dataclass(frozen=True)
class EveryThirdUnitFree:
    """A promotion as marketing will write one: an adjustment step between the built-in ones."""

    name: str = "three_for_two"

    def amounts(
        self, order: OrderInput, lines: Sequence[LineState], money: Currency
    ) -> Sequence[Decimal]:
        return [min(item.unit_price * (item.quantity // 3), item.remaining) for item in lines]


def test_a_promotion_is_a_step_between_the_built_in_ones() -> None:
    steps = (LINE_DISCOUNTS, EveryThirdUnitFree(), ORDER_DISCOUNTS)

    priced = price_order(order(line("3.00", 3), discounts=[off("1.00")]), RATES, steps=steps)

    assert [(a.name, a.amount) for a in priced.lines[0].adjustments] == [
        ("three_for_two", D("3.00")),
        ("order_discounts", D("1.00")),
    ]
    assert (priced.discount, priced.tax, priced.total) == (D("4.00"), D("0.95"), D("5.95"))


@dataclass(frozen=True)
class TooGenerous:
    name: str = "too_generous"

    def amounts(
        self, order: OrderInput, lines: Sequence[LineState], money: Currency
    ) -> Sequence[Decimal]:
        return [item.remaining + money.unit for item in lines]


BAD = [
    (order(line("-1.00")), "INVALID_PRICE", "lines.0.unitPrice"),
    (order(line("1.00"), line("NaN")), "INVALID_PRICE", "lines.1.unitPrice"),
    (order(line("Infinity")), "INVALID_PRICE", "lines.0.unitPrice"),
    (order(line("sNaN")), "INVALID_PRICE", "lines.0.unitPrice"),
    (order(line("1.00", "sNaN")), "INVALID_QUANTITY", "lines.0.quantity"),
    (order(line("1.00"), discounts=[pct("sNaN")]), "INVALID_DISCOUNT", "discounts.0.value"),
    (order(line("1.00"), shipping="NaN"), "INVALID_PRICE", "shipping"),
    (order(line("1.001")), "INVALID_PRICE", "lines.0.unitPrice"),
    (order(line("1.5"), currency="JPY"), "INVALID_PRICE", "lines.0.unitPrice"),
    (order(line("1.00"), line("1.00", 0)), "INVALID_QUANTITY", "lines.1.quantity"),
    (order(line("1.00", -2)), "INVALID_QUANTITY", "lines.0.quantity"),
    (order(line("1.00", "NaN")), "INVALID_QUANTITY", "lines.0.quantity"),
    (order(line("1.00", "1.5")), "INVALID_QUANTITY", "lines.0.quantity"),
    (order(line("1.00", 100_001)), "INVALID_QUANTITY", "lines.0.quantity"),
    (
        order(line("1.00", 1, "standard", off("1.01"))),
        "DISCOUNT_EXCEEDS_PRICE",
        "lines.0.discounts.0",
    ),
    (
        order(line("1.00", 1, "standard", pct("50"), off("0.51"))),
        "DISCOUNT_EXCEEDS_PRICE",
        "lines.0.discounts.1",
    ),
    (
        order(line("1.00", 1, "standard", pct("101"))),
        "INVALID_DISCOUNT",
        "lines.0.discounts.0.value",
    ),
    (order(line("1.00", 1, "standard", off("-1"))), "INVALID_PRICE", "lines.0.discounts.0.value"),
    (
        order(line("1.00"), discounts=[pct("10"), off("0.91")]),
        "DISCOUNT_EXCEEDS_PRICE",
        "discounts.1",
    ),
    (order(line("1.00"), discounts=[pct("NaN")]), "INVALID_DISCOUNT", "discounts.0.value"),
    (order(line("1.00", 1, "luxury")), "UNKNOWN_TAX_CATEGORY", "lines.0.taxCategory"),
    (order(line("1.00"), currency="XYZ"), "UNKNOWN_CURRENCY", "currency"),
    (order(line("1.00"), shipping="-0.01"), "INVALID_PRICE", "shipping"),
    (order(), "INVALID_INPUT", "lines"),
    (order(line("1.00"), shipping_tax="nope"), "UNKNOWN_TAX_CATEGORY", "shippingTaxCategory"),
    (order(line("999999999999.99", 2)), "INVALID_PRICE", "lines.0.quantity"),
]


@pytest.mark.parametrize(("bad", "code", "field"), BAD)
def test_bad_input_is_a_typed_error_naming_its_field(
    bad: OrderInput, code: str, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        price_order(bad, RATES)

    assert (refused.value.code, refused.value.field) == (code, field)


def test_a_step_taking_more_than_a_line_has_left_is_refused() -> None:
    with pytest.raises(DiscountExceedsPrice) as refused:
        price_order(order(line("1.00")), RATES, steps=(TooGenerous(),))

    assert refused.value.field == "lines.0"


# --- properties against a reference ----------------------------------------------------------

EXPONENTS = {"EUR": 2, "JPY": 0, "KWD": 3}


def rnd(value: Fraction, exponent: int) -> Fraction:
    """Half-even to the minor unit (Python's `round` on a Fraction is half-even)."""
    return Fraction(round(value * 10**exponent), 10**exponent)


def reduce(base: Fraction, discounts: Sequence[Discount], exponent: int) -> Fraction | int:
    """What is left of `base` after the discounts in order, or the index of the one that
    asks more than is left."""
    for j, discount in enumerate(discounts):
        value = Fraction(discount.value)
        taken = value if discount.kind is DiscountKind.AMOUNT else rnd(base * value / 100, exponent)
        if taken > base:
            return j
        base -= taken
    return base


def money_st(exponent: int, high: int = 20_000) -> st.SearchStrategy[Decimal]:
    return st.integers(0, high).map(lambda units: D(units).scaleb(-exponent))


@st.composite
def orders(draw: st.DrawFn) -> OrderInput:
    code = draw(st.sampled_from(sorted(EXPONENTS)))
    exponent = EXPONENTS[code]

    def discounts(high: int) -> tuple[Discount, ...]:
        amount = money_st(exponent, high).map(lambda v: Discount(DiscountKind.AMOUNT, v))
        percent = st.integers(0, 100).map(lambda p: Discount(DiscountKind.PERCENT, D(p)))
        return tuple(draw(st.lists(amount | percent, max_size=2)))

    lines = tuple(
        LineInput(
            "sku",
            draw(money_st(exponent)),
            draw(st.integers(1, 30)),
            draw(st.sampled_from(sorted(RATES))),
            discounts(3000),
        )
        for _ in range(draw(st.integers(1, 5)))
    )
    shipping_tax = draw(st.none() | st.sampled_from(sorted(RATES)))
    return OrderInput(code, lines, discounts(20_000), draw(money_st(exponent, 1000)), shipping_tax)


@settings(max_examples=300, deadline=None)
@given(orders())
def test_pricing_matches_the_reference(given_order: OrderInput) -> None:
    exponent = EXPONENTS[given_order.currency]
    half = Fraction(1, 2 * 10**exponent)
    after_line: list[Fraction] = []
    expected_error: tuple[str, str] | None = None
    for i, ordered in enumerate(given_order.lines):
        base = Fraction(ordered.unit_price) * int(ordered.quantity)
        left = reduce(base, ordered.discounts, exponent)
        if isinstance(left, int):
            expected_error = ("DISCOUNT_EXCEEDS_PRICE", f"lines.{i}.discounts.{left}")
            break
        after_line.append(left)
    if expected_error is None:
        left = reduce(sum(after_line, Fraction(0)), given_order.discounts, exponent)
        if isinstance(left, int):
            expected_error = ("DISCOUNT_EXCEEDS_PRICE", f"discounts.{left}")
    event("refused" if expected_error else "priced")
    if expected_error is not None:
        with pytest.raises(DomainError) as refused:
            price_order(given_order, RATES)
        assert (refused.value.code, refused.value.field) == expected_error
        return

    priced = price_order(given_order, RATES)

    assert Fraction(priced.subtotal - priced.discount) == left  # order discounts exactly taken
    added_tax = Decimal(0)
    for item, given_line, before_order in zip(
        priced.lines, given_order.lines, after_line, strict=True
    ):
        rate = RATES[item.tax_category]
        net = Fraction(item.subtotal - item.discount)
        exact = (
            net * Fraction(rate.rate) / (1 + Fraction(rate.rate) if rate.prices_include_tax else 1)
        )
        assert item.subtotal == given_line.unit_price * int(given_line.quantity)
        assert 0 <= net <= before_order  # order discounts only take off, never below zero
        assert abs(Fraction(item.tax) - exact) <= half
        assert Fraction(item.tax) == rnd(exact, exponent)
        assert item.total == (
            item.subtotal - item.discount + (0 if rate.prices_include_tax else item.tax)
        )
        for amount in (item.subtotal, item.discount, item.tax, item.total):
            assert amount >= 0
            assert amount == amount.quantize(D(1).scaleb(-exponent))
        added_tax += 0 if rate.prices_include_tax else item.tax
    shipping_exact, shipping_added = Fraction(0), Decimal(0)
    if given_order.shipping_tax_category is not None:
        rate = RATES[given_order.shipping_tax_category]
        gross = 1 + Fraction(rate.rate) if rate.prices_include_tax else 1
        shipping_exact = Fraction(priced.shipping) * Fraction(rate.rate) / gross
        shipping_added = Decimal(0) if rate.prices_include_tax else priced.shipping_tax
    assert Fraction(priced.shipping_tax) == rnd(shipping_exact, exponent)
    assert priced.shipping == given_order.shipping
    assert priced.subtotal == sum(item.subtotal for item in priced.lines)
    assert priced.discount == sum(item.discount for item in priced.lines)
    assert priced.tax == sum(item.tax for item in priced.lines) + priced.shipping_tax
    assert priced.total == (
        priced.subtotal - priced.discount + added_tax + priced.shipping + shipping_added
    )
    lines_total = sum(item.total for item in priced.lines)
    assert priced.total == lines_total + priced.shipping + shipping_added


@settings(max_examples=300, deadline=None)
@given(
    exponent=st.sampled_from([0, 2, 3]),
    weights=st.lists(st.integers(0, 10_000), min_size=1, max_size=8),
    fraction=st.fractions(0, 1),
)
def test_allocation_sums_exactly_and_rounds_up_the_largest_fractions(
    exponent: int, weights: list[int], fraction: Fraction
) -> None:
    money = Currency("X", exponent)
    units = [D(w).scaleb(-exponent) for w in weights]
    whole = sum(weights)
    total = D(int(whole * fraction)).scaleb(-exponent)

    shares = allocate(total, units, money)

    assert sum(shares) == total
    cut_off: dict[bool, list[Fraction]] = {True: [], False: []}  # by: got the extra unit
    for share, weight, units_i in zip(shares, units, weights, strict=True):
        exact = Fraction(total) * units_i / whole if whole else Fraction(0)
        assert 0 <= share <= weight
        assert abs(Fraction(share) - exact) < Fraction(money.unit)
        fraction_left = exact / Fraction(money.unit) % 1
        cut_off[Fraction(share) > exact].append(fraction_left)
    if cut_off[True] and cut_off[False]:
        assert min(cut_off[True]) >= max(cut_off[False])
