"""Plain values every business area validates the same way: names and texts, amounts, e-mail
addresses and phone numbers.

Each raises `InvalidInput` naming the input field at fault.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from merchantops.errors import InvalidInput
from merchantops.tenants.accounts import EMAIL_PATTERN

MAX_MONEY = Decimal("999999999999.99")
MAX_EMAIL = 254
PHONE = re.compile(r"^\+?[0-9 ()./-]{5,40}$")


def money(value: Decimal | str | int, field: str) -> Decimal:
    """A non-negative amount with at most two decimals, or `InvalidInput` naming `field`."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError):
        raise InvalidInput("Not an amount.", field=field) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        raise InvalidInput(f"An amount is between 0 and {MAX_MONEY}.", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput("An amount has at most two decimals.", field=field)
    return amount


def text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput("Must not be empty.", field=field)
    if len(value) > max_length:
        raise InvalidInput(f"At most {max_length} characters.", field=field)
    return value


def email_address(value: str, field: str) -> str:
    """An e-mail address, or '' for none."""
    value = value.strip()
    if len(value) > MAX_EMAIL or (value and not EMAIL_PATTERN.match(value)):
        raise InvalidInput("Not an e-mail address.", field=field)
    return value


def phone_number(value: str, field: str) -> str:
    """A phone number (digits, an optional leading +, spaces and ()./-), or '' for none."""
    value = value.strip()
    if value and not PHONE.match(value):
        raise InvalidInput("Not a phone number.", field=field)
    return value


__all__ = ["MAX_MONEY", "email_address", "money", "phone_number", "text"]
