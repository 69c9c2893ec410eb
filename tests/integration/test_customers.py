"""Customers' services: typed refusals that write nothing, the data-subject export, erasure
(idempotent, audited, governed by compliance)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from merchantops.domain.customers import privacy
from merchantops.domain.customers import service as customers
from merchantops.domain.customers.errors import CustomerErased
from merchantops.domain.customers.models import Customer, CustomerAddress
from merchantops.domain.governance import approvals
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.governance.errors import ComplianceDenied
from merchantops.domain.governance.risk import fact_of
from merchantops.errors import AlreadyExists, DomainError, InvalidInput, NotFound
from merchantops.rules import facts, versions
from merchantops.rules.document import RuleSetKind
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.models import AuditEntry, OutboxEvent
from merchantops.workers.registry import shared_engine
from tests.factories import make_shop

pytestmark = pytest.mark.usefixtures("db")
CLERK = Actor(frozenset({"customer-service-staff"}))
ALICE = customers.CustomerSpec("Alice Moreau", "alice@example.com", "+33 1 5550 0101", ("VIP",))
HOME = customers.AddressSpec("Alice Moreau", "12 Rue des Lilas", "Paris", "fr", postal_code="75011")


@pytest.fixture
def evaluator() -> RuleEvaluator:
    return RuleEvaluator(shared_engine())


async def _counts() -> tuple[int, int, int, int]:
    return (
        await Customer.all().count(),
        await CustomerAddress.all().count(),
        await AuditEntry.all().count(),
        await OutboxEvent.all().count(),
    )


@pytest.mark.parametrize(
    ("spec", "field", "error"),
    [
        (customers.CustomerSpec(" "), "name", InvalidInput),
        (customers.CustomerSpec("x" * 201), "name", InvalidInput),
        (customers.CustomerSpec("Bo", email="not-an-email"), "email", InvalidInput),
        (customers.CustomerSpec("Bo", phone="call me"), "phone", InvalidInput),
        (customers.CustomerSpec("Bo", tags=("no spaces allowed",)), "tags", InvalidInput),
        (customers.CustomerSpec("Bo", email="ALICE@example.com"), "email", AlreadyExists),
    ],
)
async def test_bad_input_is_a_typed_error_and_writes_nothing(
    spec: customers.CustomerSpec, field: str, error: type[DomainError]
) -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        await customers.create_customer(ALICE)
        before = await _counts()
        with pytest.raises(error) as refused:
            await customers.create_customer(spec)
        assert refused.value.field == field
        assert await _counts() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "France"}, "address.country"),
        ({"country": "F1"}, "address.country"),
        ({"line1": ""}, "address.line1"),
        ({"postal_code": "1" * 21}, "address.postalCode"),
    ],
)
async def test_a_bad_address_is_refused_naming_its_field(
    change: dict[str, Any], field: str
) -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        alice = await customers.create_customer(ALICE)
        before = await _counts()
        spec = customers.AddressSpec(**{**vars_of(HOME), **change})
        with pytest.raises(InvalidInput) as refused:
            await customers.add_address(alice.id, spec)
        assert refused.value.field == field
        assert await _counts() == before


def vars_of(spec: customers.AddressSpec) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in spec.__slots__}


async def test_the_export_holds_the_record_its_addresses_and_its_audit_trail() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id), actor_scope("user:clerk"):
        alice = await customers.create_customer(ALICE)
        await customers.add_address(alice.id, HOME)
        await customers.update_customer(alice.id, customers.CustomerChanges(note="Prefers DHL"))
        document = await privacy.export_customer(alice.id)
        exported = await AuditEntry.filter(action="customer.exported").count()

    assert document["customer"]["name"] == "Alice Moreau"
    assert (document["customer"]["tags"], document["customer"]["note"]) == (["vip"], "Prefers DHL")
    [home] = document["addresses"]
    assert (home["line1"], home["country"], home["is_default"]) == ("12 Rue des Lilas", "FR", True)
    assert [e["action"] for e in document["audit"]] == [
        "customer.created",
        "customer.address_added",
        "customer.updated",
    ]
    assert {e["actor"] for e in document["audit"]} == {"user:clerk"}
    # the audit trail names the fields a change touched, never their values
    assert "Prefers DHL" not in str(document["audit"])
    assert exported == 1


async def test_erasing_anonymises_keeps_the_row_and_is_idempotent(
    evaluator: RuleEvaluator,
) -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        alice = await customers.create_customer(ALICE)
        await customers.add_address(alice.id, HOME)
        erased, pending = await privacy.erase_customer(evaluator, CLERK, alice.id)
        again, _ = await privacy.erase_customer(evaluator, CLERK, alice.id)
        row = await Customer.get(id=alice.id)
        addresses = await CustomerAddress.all().count()
        entries = await AuditEntry.filter(action="customer.erased").count()
        events = await OutboxEvent.filter(type="customer.erased").count()
        document = await privacy.export_customer(alice.id)
        with pytest.raises(CustomerErased):
            await customers.update_customer(alice.id, customers.CustomerChanges(name="Back"))
        # the e-mail is free again
        await customers.create_customer(ALICE)

    assert pending is None
    assert erased.erased_at is not None
    assert again.erased_at == erased.erased_at
    assert (row.name, row.email, row.phone, row.note, row.tags) == (
        privacy.ERASED_NAME,
        "",
        "",
        "",
        [],
    )
    assert (addresses, entries, events) == (0, 1, 1)
    for personal in ("Alice", "alice@", "5550", "Lilas", "vip"):
        assert personal not in str(document), personal
    assert document["customer"]["erased_at"] is not None


async def test_an_erasure_held_by_compliance_is_applied_when_approved(
    evaluator: RuleEvaluator,
) -> None:
    shop = await make_shop("acme")
    rules = {
        "kind": "compliance",
        "rules": [
            {
                "id": "erasure-needs-compliance",
                "when": {"fact": "action", "eq": "customer.erase"},
                "then": {"outcome": "require_approval", "role": "compliance-officer"},
            }
        ],
    }
    with tenant_scope(shop.tenant.id):
        await versions.activate((await versions.create_draft(rules)).id)
        with actor_scope("user:clerk"):
            alice = await customers.create_customer(ALICE)
            held, pending = await privacy.erase_customer(evaluator, CLERK, alice.id)
        assert pending is not None
        assert held.erased_at is None
        assert (await Customer.get(id=alice.id)).name == "Alice Moreau"
        with actor_scope("user:clerk"):
            _, asked_again = await privacy.erase_customer(evaluator, CLERK, alice.id)
        assert asked_again is not None
        assert asked_again.id == pending.id
        with actor_scope("user:officer"):
            officer = Actor(frozenset({"compliance-officer"}))
            await approvals.decide(evaluator, officer, pending.id, approve=True)
        row = await Customer.get(id=alice.id)

    assert (pending.action, pending.role) == ("customer.erase", "compliance-officer")
    assert row.erased_at is not None
    assert row.name == privacy.ERASED_NAME


async def test_a_denied_erasure_changes_nothing(evaluator: RuleEvaluator) -> None:
    shop = await make_shop("acme")
    rules = {
        "kind": "compliance",
        "rules": [
            {
                "id": "no-erasure-in-first-month",
                "when": {
                    "all": [
                        {"fact": "action", "eq": "customer.erase"},
                        {"fact": "customer.age_days", "lt": 30},
                    ]
                },
                "then": {"outcome": "deny", "reason": "Legal hold"},
            }
        ],
    }
    with tenant_scope(shop.tenant.id):
        await versions.activate((await versions.create_draft(rules)).id)
        alice = await customers.create_customer(ALICE)
        before = await _counts()
        with pytest.raises(ComplianceDenied):
            await privacy.erase_customer(evaluator, CLERK, alice.id)
        after = await _counts()
        row = await Customer.get(id=alice.id)

    assert after == before
    assert row.erased_at is None


async def test_unknown_ids_are_not_found() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        with pytest.raises(NotFound):
            await customers.update_customer(uuid.uuid4(), customers.CustomerChanges(name="x"))
        with pytest.raises(NotFound):
            await customers.remove_address(uuid.uuid4())
        with pytest.raises(NotFound):
            await privacy.export_customer(uuid.uuid4())


async def test_the_events_carry_only_their_declared_facts_and_no_personal_data(
    evaluator: RuleEvaluator,
) -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        alice = await customers.create_customer(ALICE)
        await customers.update_customer(alice.id, customers.CustomerChanges(phone="+33 1 555 0199"))
        await privacy.erase_customer(evaluator, CLERK, alice.id)
        events = await OutboxEvent.all().order_by("created_at")

    assert [event.type for event in events] == [
        "customer.created",
        "customer.updated",
        "customer.erased",
    ]
    for event in events:
        paths = facts.paths(fact_of(event))
        assert paths <= facts.provided(RuleSetKind.RISK, event.type), event.type
        assert "Alice" not in str(event.payload)
        assert "alice@" not in str(event.payload)
        assert "0199" not in str(event.payload)
