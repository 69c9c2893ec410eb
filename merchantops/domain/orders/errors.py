"""Typed failures of the orders area, each with a stable code the API passes on and, where one
input is at fault, its path relative to the mutation's `input` (`lines.2.quantity`)."""

from __future__ import annotations

from merchantops.errors import DomainError, InvalidInput, NotFound


class InvalidPrice(InvalidInput):
    """A price, discount amount or shipping that is negative, NaN, infinite, too large or has
    more decimals than the currency."""

    code = "INVALID_PRICE"


class InvalidQuantity(InvalidInput):
    """A quantity that is not a whole number from 1 to the limit."""

    code = "INVALID_QUANTITY"


class InvalidDiscount(InvalidInput):
    """A percentage outside 0..100, or a discount of an unknown kind."""

    code = "INVALID_DISCOUNT"


class DiscountExceedsPrice(DomainError):
    """A discount larger than what is left of the price it applies to."""

    code = "DISCOUNT_EXCEEDS_PRICE"


class UnknownTaxCategory(NotFound):
    code = "UNKNOWN_TAX_CATEGORY"


class UnknownCurrency(NotFound):
    code = "UNKNOWN_CURRENCY"


class InvalidAmount(InvalidInput):
    """A payment amount that is not a positive finite number."""

    code = "INVALID_AMOUNT"


class RefundExceedsCharged(DomainError):
    """A refund above what was charged less what was refunded or is being refunded."""

    code = "REFUND_EXCEEDS_CHARGED"


class ChargeExceedsAuthorized(DomainError):
    """A charge of an authorization above what is left of it."""

    code = "CHARGE_EXCEEDS_AUTHORIZED"


class AuthorizationNotActive(DomainError):
    """A charge or void of an authorization that is unknown, not (yet) successful, voided or
    being voided, or a void of an authorization that was charged."""

    code = "AUTHORIZATION_NOT_ACTIVE"


class IdempotencyConflict(DomainError):
    """An idempotency key used before for a transaction of other content."""

    code = "IDEMPOTENCY_CONFLICT"


class OrderStatusConflict(DomainError):
    """A change the order's status does not allow (confirming a canceled order)."""

    code = "ORDER_STATUS_CONFLICT"


class OrderNotCancelable(DomainError):
    """A cancellation of an order that has shipped, or is closed, canceled or expired."""

    code = "ORDER_NOT_CANCELABLE"


class FulfillmentStatusConflict(DomainError):
    """A change a fulfilment order's status does not allow (shipping a canceled one)."""

    code = "FULFILLMENT_STATUS_CONFLICT"


class PaymentNotAllowed(DomainError):
    """A payment on an order that takes none (a draft, a canceled or expired order)."""

    code = "PAYMENT_NOT_ALLOWED"


class ReturnNotAllowed(DomainError):
    """A return of what was not shipped, was returned already, is not returnable, or whose
    return window has lapsed."""

    code = "RETURN_NOT_ALLOWED"


class ReturnStatusConflict(DomainError):
    """A change the return's status does not allow (receiving a declined return)."""

    code = "RETURN_STATUS_CONFLICT"


class UnknownReturnReason(NotFound):
    code = "UNKNOWN_RETURN_REASON"


__all__ = [
    "AuthorizationNotActive",
    "ChargeExceedsAuthorized",
    "DiscountExceedsPrice",
    "FulfillmentStatusConflict",
    "IdempotencyConflict",
    "InvalidAmount",
    "InvalidDiscount",
    "InvalidPrice",
    "InvalidQuantity",
    "OrderNotCancelable",
    "OrderStatusConflict",
    "PaymentNotAllowed",
    "RefundExceedsCharged",
    "ReturnNotAllowed",
    "ReturnStatusConflict",
    "UnknownCurrency",
    "UnknownReturnReason",
    "UnknownTaxCategory",
]
