"""Currencies and amounts in them: every amount the orders area keeps is a whole number of the
currency's minor unit (its exponent: 2 for EUR, USD, CNY; 0 for JPY; 3 for KWD)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, InvalidOperation

from merchantops.domain.orders.errors import InvalidPrice, UnknownCurrency
from merchantops.domain.values import MAX_MONEY

CURRENCY_EXPONENTS: dict[str, int] = {"EUR": 2, "USD": 2, "CNY": 2, "GBP": 2, "JPY": 0, "KWD": 3}


@dataclass(frozen=True, slots=True)
class Currency:
    code: str
    exponent: int

    @property
    def unit(self) -> Decimal:
        """The minor unit: 0.01, 1 or 0.001."""
        return Decimal(1).scaleb(-self.exponent)

    def round(self, value: Decimal, rounding: str = ROUND_HALF_EVEN) -> Decimal:
        return value.quantize(self.unit, rounding=rounding)


def currency(code: str, field: str = "currency") -> Currency:
    """The currency of an ISO code, or `UNKNOWN_CURRENCY` naming `field`."""
    exponent = CURRENCY_EXPONENTS.get(code.upper())
    if exponent is None:
        raise UnknownCurrency(f"Unknown currency {code!r}.", field=field)
    return Currency(code.upper(), exponent)


def amount(value: Decimal | int | str, field: str, money: Currency) -> Decimal:
    """A price-like amount: finite, 0..MAX_MONEY, at most the currency's decimals."""
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidPrice("Not an amount.", field=field) from None
    if not number.is_finite() or number < 0 or number > MAX_MONEY:
        raise InvalidPrice(f"An amount is between 0 and {MAX_MONEY}.", field=field)
    if number != number.quantize(money.unit, rounding=ROUND_DOWN):
        raise InvalidPrice(
            f"{money.code} amounts have at most {money.exponent} decimals.", field=field
        )
    return number


__all__ = ["CURRENCY_EXPONENTS", "Currency", "amount", "currency"]
