"""The payment transaction ledger, pure: an order's transactions -> its payment status and
balances, and the check every new transaction passes before it is sent to a provider.

A transaction is an AUTHORIZE (a hold), a CHARGE (money taken: of an authorization named by
`parent_key`, or direct without one), a REFUND (money given back) or a VOID (an authorization
released, named by `parent_key`); each is PENDING until its provider answers SUCCESS or FAILURE.
FAILURE transactions count for nothing. The rules:

- **Idempotency**: a key names one transaction. The same key with the same content (kind,
  amount, parent) is that transaction again (`admit` returns it, `replayed`); with other
  content it is `IDEMPOTENCY_CONFLICT`.
- **Refund**: at most `charged - refunded - pending refunds` (`REFUND_EXCEEDS_CHARGED`), so
  refunds in flight at once never pass the charge.
- **Charge of an authorization**: the authorization is SUCCESS and not voided nor being voided
  (`AUTHORIZATION_NOT_ACTIVE`), and the charge at most its amount less its successful and
  pending charges (`CHARGE_EXCEEDS_AUTHORIZED`).
- **Void**: of an active authorization with no successful or pending charge
  (`AUTHORIZATION_NOT_ACTIVE`).

Balances: `authorized` what active authorizations still hold (amount less successful charges
of them); `charged` and `refunded` the successful sums; `refundable` = charged - refunded -
pending refunds. Status, first that holds, with `net = charged - refunded`: nothing charged ->
AUTHORIZED if anything is held, else NONE; net > total -> OVERCHARGED; something refunded and
net 0 -> REFUNDED; net = total -> PAID; something refunded -> PARTIALLY_REFUNDED; else
PARTIALLY_PAID.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from merchantops.domain.orders.errors import (
    AuthorizationNotActive,
    ChargeExceedsAuthorized,
    IdempotencyConflict,
    InvalidAmount,
    RefundExceedsCharged,
)
from merchantops.domain.values import MAX_MONEY
from merchantops.errors import InvalidInput

ZERO = Decimal(0)


class Kind(StrEnum):
    AUTHORIZE = "AUTHORIZE"
    CHARGE = "CHARGE"
    REFUND = "REFUND"
    VOID = "VOID"


class TransactionStatus(StrEnum):
    PENDING = "PENDING"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"


class PaymentStatus(StrEnum):
    NONE = "NONE"
    AUTHORIZED = "AUTHORIZED"
    PARTIALLY_PAID = "PARTIALLY_PAID"
    PAID = "PAID"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    REFUNDED = "REFUNDED"
    OVERCHARGED = "OVERCHARGED"


@dataclass(frozen=True, slots=True)
class TransactionRequest:
    """What is asked: the content an idempotency key stands for. A VOID's amount is 0."""

    kind: Kind
    amount: Decimal
    idempotency_key: str
    parent_key: str | None = None


@dataclass(frozen=True, slots=True)
class Transaction:
    kind: Kind
    amount: Decimal
    idempotency_key: str
    status: TransactionStatus = TransactionStatus.PENDING
    parent_key: str | None = None
    provider_reference: str | None = None

    @classmethod
    def of(cls, request: TransactionRequest) -> Transaction:
        return cls(
            request.kind,
            request.amount,
            request.idempotency_key,
            TransactionStatus.PENDING,
            request.parent_key,
        )

    def same_content(self, request: TransactionRequest) -> bool:
        return (self.kind, self.amount, self.parent_key) == (
            request.kind,
            request.amount,
            request.parent_key,
        )


@dataclass(frozen=True, slots=True)
class Balances:
    status: PaymentStatus
    authorized: Decimal
    charged: Decimal
    refunded: Decimal
    refundable: Decimal


@dataclass(frozen=True, slots=True)
class Admitted:
    transaction: Transaction
    replayed: bool  # the key's earlier transaction: send nothing to the provider again


def _sum(transactions: Sequence[Transaction], kind: Kind, *statuses: TransactionStatus) -> Decimal:
    return sum((t.amount for t in transactions if t.kind is kind and t.status in statuses), ZERO)


def _of(transactions: Sequence[Transaction], key: str, kind: Kind) -> list[Transaction]:
    return [t for t in transactions if t.kind is kind and t.parent_key == key]


def _active(transactions: Sequence[Transaction], authorization: Transaction) -> bool:
    """A successful authorization not voided nor being voided."""
    voids = _of(transactions, authorization.idempotency_key, Kind.VOID)
    return authorization.status is TransactionStatus.SUCCESS and all(
        void.status is TransactionStatus.FAILURE for void in voids
    )


def balances(total: Decimal, transactions: Sequence[Transaction]) -> Balances:
    """The order's payment status and balances (module rules) for an order `total`."""
    ok, pending = TransactionStatus.SUCCESS, TransactionStatus.PENDING
    held = ZERO
    for auth in transactions:
        if auth.kind is Kind.AUTHORIZE and _active(transactions, auth):
            captured = _sum(_of(transactions, auth.idempotency_key, Kind.CHARGE), Kind.CHARGE, ok)
            held += max(auth.amount - captured, ZERO)
    charged = _sum(transactions, Kind.CHARGE, ok)
    refunded = _sum(transactions, Kind.REFUND, ok)
    refundable = charged - refunded - _sum(transactions, Kind.REFUND, pending)
    net = charged - refunded
    if charged == 0:
        status = PaymentStatus.AUTHORIZED if held > 0 else PaymentStatus.NONE
    elif net > total:
        status = PaymentStatus.OVERCHARGED
    elif refunded > 0 and net == 0:
        status = PaymentStatus.REFUNDED
    elif net == total:
        status = PaymentStatus.PAID
    elif refunded > 0:
        status = PaymentStatus.PARTIALLY_REFUNDED
    else:
        status = PaymentStatus.PARTIALLY_PAID
    return Balances(status, held, charged, refunded, refundable)


def admit(transactions: Sequence[Transaction], request: TransactionRequest) -> Admitted:
    """The transaction to record (PENDING, to send to the provider) for `request`, or the
    earlier one of its key; a `DomainError` when the rules refuse it."""
    if not request.amount.is_finite():  # first: a signalling NaN refuses to be compared
        raise InvalidAmount("Not an amount.", field="amount")
    for earlier in transactions:
        if earlier.idempotency_key == request.idempotency_key:
            if not earlier.same_content(request):
                raise IdempotencyConflict(
                    "This idempotency key was used for another transaction.",
                    field="idempotencyKey",
                )
            return Admitted(earlier, replayed=True)
    if request.kind is Kind.VOID:
        if request.amount != 0:
            raise InvalidAmount("A void has no amount.", field="amount")
    elif not 0 < request.amount <= MAX_MONEY:
        raise InvalidAmount(f"An amount is above 0 and at most {MAX_MONEY}.", field="amount")
    if request.kind is Kind.REFUND:
        _check_refund(transactions, request)
    elif request.kind is Kind.CHARGE and request.parent_key is not None:
        _check_capture(transactions, request)
    elif request.kind is Kind.VOID:
        _check_void(transactions, request)
    elif request.parent_key is not None:
        raise InvalidInput(
            "Only a charge or a void names an authorization.", field="authorizationKey"
        )
    return Admitted(Transaction.of(request), replayed=False)


def _check_refund(transactions: Sequence[Transaction], request: TransactionRequest) -> None:
    if request.parent_key is not None:
        raise InvalidInput("A refund names no authorization.", field="authorizationKey")
    ok, pending = TransactionStatus.SUCCESS, TransactionStatus.PENDING
    left = (
        _sum(transactions, Kind.CHARGE, ok)
        - _sum(transactions, Kind.REFUND, ok)
        - _sum(transactions, Kind.REFUND, pending)
    )
    if request.amount > left:
        raise RefundExceedsCharged(f"At most {left} can be refunded.", field="amount")


def _authorization(transactions: Sequence[Transaction], request: TransactionRequest) -> Transaction:
    for auth in transactions:
        if auth.kind is Kind.AUTHORIZE and auth.idempotency_key == request.parent_key:
            if _active(transactions, auth):
                return auth
            break
    raise AuthorizationNotActive("No active authorization of that key.", field="authorizationKey")


def _check_capture(transactions: Sequence[Transaction], request: TransactionRequest) -> None:
    auth = _authorization(transactions, request)
    charges = _of(transactions, auth.idempotency_key, Kind.CHARGE)
    taken = _sum(charges, Kind.CHARGE, TransactionStatus.SUCCESS, TransactionStatus.PENDING)
    if request.amount > auth.amount - taken:
        raise ChargeExceedsAuthorized(
            f"At most {auth.amount - taken} of the authorization is left.", field="amount"
        )


def _check_void(transactions: Sequence[Transaction], request: TransactionRequest) -> None:
    auth = _authorization(transactions, request)
    charges = _of(transactions, auth.idempotency_key, Kind.CHARGE)
    if any(charge.status is not TransactionStatus.FAILURE for charge in charges):
        raise AuthorizationNotActive(
            "A charged authorization cannot be voided.", field="authorizationKey"
        )


def settled(transaction: Transaction, result: ProviderResult) -> Transaction:
    """The transaction as its provider answered."""
    return replace(transaction, status=result.status, provider_reference=result.reference)


# --- providers -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProviderResult:
    reference: str
    status: TransactionStatus


class PaymentProvider(Protocol):
    """A payment gateway: each call sends one admitted transaction, keyed by its idempotency
    key (a gateway retried with a key answers as the first time)."""

    name: str

    async def authorize(self, amount: Decimal, currency: str, key: str) -> ProviderResult: ...

    async def charge(
        self, amount: Decimal, currency: str, key: str, authorization: str | None
    ) -> ProviderResult: ...

    async def refund(self, amount: Decimal, currency: str, key: str) -> ProviderResult: ...

    async def void(self, authorization: str, key: str) -> ProviderResult: ...


class ManualProvider:
    """Payments staff record as made (cash, bank transfer): every call succeeds at once."""

    name = "manual"

    def _done(self, kind: Kind, key: str) -> ProviderResult:
        return ProviderResult(f"manual:{kind.lower()}:{key}", TransactionStatus.SUCCESS)

    async def authorize(self, amount: Decimal, currency: str, key: str) -> ProviderResult:
        return self._done(Kind.AUTHORIZE, key)

    async def charge(
        self, amount: Decimal, currency: str, key: str, authorization: str | None
    ) -> ProviderResult:
        return self._done(Kind.CHARGE, key)

    async def refund(self, amount: Decimal, currency: str, key: str) -> ProviderResult:
        return self._done(Kind.REFUND, key)

    async def void(self, authorization: str, key: str) -> ProviderResult:
        return self._done(Kind.VOID, key)


class TestProvider:
    """Deterministic outcomes by amount, for tests and the demo: an amount whose first two
    decimals are .13 fails, .14 stays pending, anything else succeeds; voids succeed."""

    __test__ = False  # not a pytest test class
    name = "test"
    FAIL = 13
    PENDING = 14

    def _outcome(self, kind: Kind, amount: Decimal, key: str) -> ProviderResult:
        cents = int((amount * 100) % 100)
        status = {self.FAIL: TransactionStatus.FAILURE, self.PENDING: TransactionStatus.PENDING}
        return ProviderResult(
            f"test:{kind.lower()}:{key}", status.get(cents, TransactionStatus.SUCCESS)
        )

    async def authorize(self, amount: Decimal, currency: str, key: str) -> ProviderResult:
        return self._outcome(Kind.AUTHORIZE, amount, key)

    async def charge(
        self, amount: Decimal, currency: str, key: str, authorization: str | None
    ) -> ProviderResult:
        return self._outcome(Kind.CHARGE, amount, key)

    async def refund(self, amount: Decimal, currency: str, key: str) -> ProviderResult:
        return self._outcome(Kind.REFUND, amount, key)

    async def void(self, authorization: str, key: str) -> ProviderResult:
        return ProviderResult(f"test:void:{key}", TransactionStatus.SUCCESS)


__all__ = [
    "Admitted",
    "Balances",
    "Kind",
    "ManualProvider",
    "PaymentProvider",
    "PaymentStatus",
    "ProviderResult",
    "TestProvider",
    "Transaction",
    "TransactionRequest",
    "TransactionStatus",
    "admit",
    "balances",
    "settled",
]
