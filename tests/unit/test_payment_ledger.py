"""The payment ledger: statuses, balances and refusals by hand, the providers, and a property
test against a reference state machine over any sequence of transactions and outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from merchantops.domain.orders.payments import (
    Kind,
    ManualProvider,
    PaymentProvider,
    PaymentStatus,
    ProviderResult,
    TestProvider,
    Transaction,
    TransactionRequest,
    TransactionStatus,
    admit,
    balances,
    settled,
)
from merchantops.errors import DomainError

D = Decimal
OK, PENDING, FAILED = (
    TransactionStatus.SUCCESS,
    TransactionStatus.PENDING,
    TransactionStatus.FAILURE,
)


def record(
    ledger: list[Transaction],
    kind: Kind,
    amount: str,
    key: str,
    status: TransactionStatus = OK,
    parent: str | None = None,
) -> Transaction:
    admitted = admit(ledger, TransactionRequest(kind, D(amount), key, parent))
    assert not admitted.replayed
    transaction = settled(admitted.transaction, ProviderResult(f"ref-{key}", status))
    ledger.append(transaction)
    return transaction


def refusal(ledger: list[Transaction], request: TransactionRequest) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as refused:
        admit(ledger, request)
    return refused.value.code, refused.value.field


# --- hand-picked ---------------------------------------------------------------------------


def test_each_status_and_its_balances() -> None:
    ledger: list[Transaction] = []
    assert balances(D(100), ledger).status is PaymentStatus.NONE

    record(ledger, Kind.AUTHORIZE, "100", "a1")
    held = balances(D(100), ledger)
    assert (held.status, held.authorized, held.charged) == (PaymentStatus.AUTHORIZED, D(100), D(0))

    record(ledger, Kind.CHARGE, "40", "c1", parent="a1")
    part = balances(D(100), ledger)
    assert (part.status, part.authorized, part.charged) == (
        PaymentStatus.PARTIALLY_PAID,
        D(60),
        D(40),
    )

    record(ledger, Kind.CHARGE, "60", "c2", parent="a1")
    assert balances(D(100), ledger).status is PaymentStatus.PAID

    record(ledger, Kind.CHARGE, "5", "c3")  # a direct charge, no authorization
    assert balances(D(100), ledger).status is PaymentStatus.OVERCHARGED

    record(ledger, Kind.REFUND, "35", "r1")
    after = balances(D(100), ledger)
    assert (after.status, after.refunded, after.refundable) == (
        PaymentStatus.PARTIALLY_REFUNDED,
        D(35),
        D(70),
    )

    record(ledger, Kind.REFUND, "70", "r2")
    done = balances(D(100), ledger)
    assert (done.status, done.refundable, done.authorized) == (PaymentStatus.REFUNDED, D(0), D(0))


def test_a_refund_counts_pending_refunds_so_concurrent_ones_never_pass_the_charge() -> None:
    ledger: list[Transaction] = []
    record(ledger, Kind.CHARGE, "100.00", "c1")
    record(ledger, Kind.REFUND, "60.00", "r1", PENDING)

    assert refusal(ledger, TransactionRequest(Kind.REFUND, D("40.01"), "r2")) == (
        "REFUND_EXCEEDS_CHARGED",
        "amount",
    )
    record(ledger, Kind.REFUND, "40.00", "r2", PENDING)
    assert balances(D(100), ledger).refundable == 0


def test_a_failed_refund_frees_its_amount_again() -> None:
    ledger: list[Transaction] = []
    record(ledger, Kind.CHARGE, "10", "c1")
    record(ledger, Kind.REFUND, "10", "r1", FAILED)

    record(ledger, Kind.REFUND, "10", "r2")

    assert balances(D(10), ledger).status is PaymentStatus.REFUNDED


def test_charging_an_authorization_is_limited_to_what_is_left_of_it() -> None:
    ledger: list[Transaction] = []
    record(ledger, Kind.AUTHORIZE, "50", "a1")
    record(ledger, Kind.CHARGE, "30", "c1", PENDING, parent="a1")

    request = TransactionRequest(Kind.CHARGE, D(21), "c2", "a1")

    assert refusal(ledger, request) == ("CHARGE_EXCEEDS_AUTHORIZED", "amount")
    assert refusal(ledger, TransactionRequest(Kind.CHARGE, D(1), "c3", "nope")) == (
        "AUTHORIZATION_NOT_ACTIVE",
        "authorizationKey",
    )


def test_a_charged_authorization_cannot_be_voided_an_uncharged_one_can() -> None:
    ledger: list[Transaction] = []
    record(ledger, Kind.AUTHORIZE, "50", "a1")
    record(ledger, Kind.AUTHORIZE, "20", "a2")
    record(ledger, Kind.CHARGE, "10", "c1", parent="a1")

    assert refusal(ledger, TransactionRequest(Kind.VOID, D(0), "v1", "a1")) == (
        "AUTHORIZATION_NOT_ACTIVE",
        "authorizationKey",
    )
    record(ledger, Kind.VOID, "0", "v2", parent="a2")
    assert balances(D(60), ledger).authorized == D(40)
    assert refusal(ledger, TransactionRequest(Kind.CHARGE, D(1), "c2", "a2"))[0] == (
        "AUTHORIZATION_NOT_ACTIVE"
    )


def test_an_idempotency_key_is_one_transaction() -> None:
    ledger: list[Transaction] = []
    first = record(ledger, Kind.CHARGE, "10", "key-1")

    again = admit(ledger, TransactionRequest(Kind.CHARGE, D("10.00"), "key-1"))

    assert again.replayed
    assert again.transaction is first
    assert refusal(ledger, TransactionRequest(Kind.CHARGE, D(11), "key-1")) == (
        "IDEMPOTENCY_CONFLICT",
        "idempotencyKey",
    )
    assert refusal(ledger, TransactionRequest(Kind.REFUND, D(10), "key-1"))[0] == (
        "IDEMPOTENCY_CONFLICT"
    )


@pytest.mark.parametrize(
    ("kind", "amount", "parent", "field"),
    [
        (Kind.CHARGE, "0", None, "amount"),
        (Kind.CHARGE, "-1", None, "amount"),
        (Kind.AUTHORIZE, "NaN", None, "amount"),
        (Kind.REFUND, "Infinity", None, "amount"),
        (Kind.VOID, "sNaN", "a1", "amount"),
        (Kind.CHARGE, "sNaN", None, "amount"),
        (Kind.VOID, "1", "a1", "amount"),
        (Kind.AUTHORIZE, "1", "a1", "authorizationKey"),
    ],
)
def test_bad_amounts_are_typed_errors(
    kind: Kind, amount: str, parent: str | None, field: str
) -> None:
    code = "INVALID_INPUT" if field == "authorizationKey" else "INVALID_AMOUNT"

    assert refusal([], TransactionRequest(kind, D(amount), "k", parent)) == (code, field)


async def test_the_manual_provider_succeeds_at_once() -> None:
    provider: PaymentProvider = ManualProvider()

    result = await provider.charge(D("9.13"), "EUR", "k1", None)

    assert result == ProviderResult("manual:charge:k1", OK)


@pytest.mark.parametrize(
    ("amount", "status"), [("9.13", FAILED), ("0.14", PENDING), ("9.12", OK), ("100", OK)]
)
async def test_the_test_provider_answers_by_amount(amount: str, status: TransactionStatus) -> None:
    provider: PaymentProvider = TestProvider()

    assert (await provider.authorize(D(amount), "EUR", "k")).status is status
    assert (await provider.charge(D(amount), "EUR", "k", "test:authorize:a")).status is status
    assert (await provider.refund(D(amount), "EUR", "k")).status is status
    assert (await provider.void("test:authorize:a", "k")).status is OK


# --- property: a reference state machine -----------------------------------------------------


@dataclass
class Auth:
    amount: int
    state: str = "pending"  # pending, held, failed, voiding, voided
    capturing: int = 0  # pending charges of it
    captured: int = 0


@dataclass
class Reference:
    """Cents as ints, updated step by step as transactions are admitted and settle."""

    auths: dict[str, Auth] = field(default_factory=dict)
    pending: dict[str, tuple[str, int, str | None]] = field(default_factory=dict)
    charged: int = 0
    refunded: int = 0
    refunding: int = 0

    def refuses(self, kind: str, cents: int, parent: str | None) -> str | None:
        auth = self.auths.get(parent or "")
        if kind == "REFUND":
            return (
                "REFUND_EXCEEDS_CHARGED"
                if cents > self.charged - self.refunded - self.refunding
                else None
            )
        if kind == "CHARGE" and parent is not None:
            if auth is None or auth.state != "held":
                return "AUTHORIZATION_NOT_ACTIVE"
            if cents > auth.amount - auth.captured - auth.capturing:
                return "CHARGE_EXCEEDS_AUTHORIZED"
        if kind == "VOID" and (
            auth is None or auth.state != "held" or auth.captured or auth.capturing
        ):
            return "AUTHORIZATION_NOT_ACTIVE"
        return None

    def limit(self, kind: str, parent: str | None) -> int:
        """The most a refund or a charge of an authorization may be now (for edge amounts)."""
        auth = self.auths.get(parent or "")
        if kind == "CHARGE" and auth is not None:
            return auth.amount - auth.captured - auth.capturing
        return self.charged - self.refunded - self.refunding

    def start(self, key: str, kind: str, cents: int, parent: str | None) -> None:
        self.pending[key] = (kind, cents, parent)
        if kind == "AUTHORIZE":
            self.auths[key] = Auth(cents)
        elif kind == "CHARGE" and parent:
            self.auths[parent].capturing += cents
        elif kind == "REFUND":
            self.refunding += cents
        elif kind == "VOID":
            self.auths[str(parent)].state = "voiding"

    def settle(self, key: str, success: bool) -> None:
        kind, cents, parent = self.pending.pop(key)
        if kind == "AUTHORIZE":
            self.auths[key].state = "held" if success else "failed"
        elif kind == "CHARGE":
            self.charged += cents if success else 0
            if parent:
                self.auths[parent].capturing -= cents
                self.auths[parent].captured += cents if success else 0
        elif kind == "REFUND":
            self.refunding -= cents
            self.refunded += cents if success else 0
        else:
            self.auths[str(parent)].state = "voided" if success else "held"

    def status(self, total: int) -> PaymentStatus:
        held = sum(a.amount - a.captured for a in self.auths.values() if a.state == "held")
        paid = self.charged - self.refunded
        if self.charged == 0:
            return PaymentStatus.AUTHORIZED if held else PaymentStatus.NONE
        if paid > total:
            return PaymentStatus.OVERCHARGED
        if paid == 0:  # something charged, all of it refunded
            return PaymentStatus.REFUNDED
        if paid == total:
            return PaymentStatus.PAID
        return PaymentStatus.PARTIALLY_REFUNDED if self.refunded else PaymentStatus.PARTIALLY_PAID


EDGES = {-1: -1, -2: 0, -3: 1}  # an amount of -1, -2, -3: one cent under, at, over the limit
cents_st = st.integers(1, 1000) | st.sampled_from(sorted(EDGES))
outcome_st = st.sampled_from([OK, OK, OK, PENDING, FAILED])
latest_st = st.sampled_from([0, 0, 0, 1, 2])  # which authorization, counted from the latest
in_flight_st = st.sampled_from([PENDING, PENDING, OK, FAILED])  # racing each other
part_st = st.integers(1, 300) | st.sampled_from(sorted(EDGES))  # mostly within the limits
charge_st = st.tuples(st.just("CHARGE"), part_st, st.none() | latest_st, in_flight_st)
refund_st = st.tuples(st.just("REFUND"), part_st, st.none(), in_flight_st)
step_st = st.one_of(  # charges and refunds twice as often as the rest
    st.tuples(st.just("AUTHORIZE"), cents_st, st.none(), outcome_st),
    charge_st,
    charge_st,
    refund_st,
    refund_st,
    st.tuples(st.just("VOID"), st.just(0), latest_st, outcome_st),
    st.tuples(st.just("SETTLE"), st.integers(0, 5), st.none(), st.booleans()),
    st.tuples(st.just("RETRY"), st.integers(0, 30), st.none(), st.booleans()),
)


PINNED = [  # races the random steps reach only now and then
    [("CHARGE", 1000, None, OK), ("REFUND", 500, None, PENDING), ("REFUND", -3, None, OK)],
    [("AUTHORIZE", 1000, None, OK), ("CHARGE", 500, 0, PENDING), ("VOID", 0, 0, OK)],
    [("AUTHORIZE", 1000, None, OK), ("CHARGE", 500, 0, PENDING), ("CHARGE", -3, 0, OK)],
    [("AUTHORIZE", 900, None, OK), ("VOID", 0, 0, PENDING), ("CHARGE", 5, 0, OK)],
]


@settings(max_examples=300, deadline=None)
@given(total=st.integers(0, 6000), steps=st.lists(step_st, min_size=5, max_size=30))
@example(total=1000, steps=PINNED[0])
@example(total=1000, steps=PINNED[1])
@example(total=1000, steps=PINNED[2])
@example(total=1000, steps=PINNED[3])
def test_status_and_balances_match_the_reference(
    total: int, steps: list[tuple[str, int, int | None, Any]]
) -> None:
    ledger: list[Transaction] = []
    model = Reference()
    auth_keys: list[str] = []
    for n, (kind, cents, target, outcome) in enumerate(steps):
        if kind == "SETTLE":  # a pending transaction's provider answers
            waiting = [i for i, t in enumerate(ledger) if t.status is PENDING]
            if waiting:
                i = waiting[cents % len(waiting)]
                status = OK if outcome else FAILED
                ledger[i] = settled(ledger[i], ProviderResult("late", status))
                model.settle(ledger[i].idempotency_key, outcome)
        elif kind == "RETRY" and ledger:  # the same key again, same or other content
            earlier = ledger[cents % len(ledger)]
            amount = earlier.amount + (0 if outcome else D("0.01"))
            request = TransactionRequest(
                earlier.kind, amount, earlier.idempotency_key, earlier.parent_key
            )
            if outcome:
                assert admit(ledger, request).transaction is earlier
            else:
                assert refusal(ledger, request)[0] == "IDEMPOTENCY_CONFLICT"
        elif kind != "RETRY":
            parent = (
                auth_keys[-1 - target % len(auth_keys)]
                if target is not None and auth_keys
                else None
            )
            if kind in ("CHARGE", "VOID") and target is not None and parent is None:
                parent = "unknown"
            if cents < 0:
                cents = max(1, model.limit(kind, parent) + EDGES[cents])
            request = TransactionRequest(Kind(kind), D(cents) / 100, f"k{n}", parent)
            expected = model.refuses(kind, cents, parent)
            if expected is not None:
                at = "authorizationKey" if expected == "AUTHORIZATION_NOT_ACTIVE" else "amount"
                assert refusal(ledger, request) == (expected, at)
                continue
            admitted = admit(ledger, request)
            assert not admitted.replayed
            ledger.append(settled(admitted.transaction, ProviderResult(f"p{n}", outcome)))
            auth_keys += [f"k{n}"] if kind == "AUTHORIZE" else []
            model.start(f"k{n}", kind, cents, parent)
            if outcome is not PENDING:
                model.settle(f"k{n}", outcome is OK)

        derived = balances(D(total) / 100, ledger)
        held = sum(a.amount - a.captured for a in model.auths.values() if a.state == "held")
        assert derived.status is model.status(total)
        assert (derived.authorized, derived.charged, derived.refunded) == tuple(
            D(v) / 100 for v in (held, model.charged, model.refunded)
        )
        assert derived.refundable == D(model.charged - model.refunded - model.refunding) / 100
        assert derived.refundable >= 0  # refunds, settled or in flight, never pass the charges
        assert derived.refunded + D(model.refunding) / 100 <= derived.charged
