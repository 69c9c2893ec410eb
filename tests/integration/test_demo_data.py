"""The demo tenant `scripts/serve` seeds: a believable supply chain, seeded once, consistent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from tortoise import Tortoise

from merchantops.demo import DEMO_SLUG, ensure_demo
from merchantops.domain.catalog.models import LifecycleStage, Product, Sku
from merchantops.domain.governance.models import ApprovalRequest, ApprovalStatus
from merchantops.domain.inventory import positions, reconcile
from merchantops.domain.inventory.models import Allocation, AllocationStatus, Lot, SkuAnalytics
from merchantops.domain.orders.models import (
    FulfillmentOrder,
    FulfillmentStatus,
    Order,
    OrderStatus,
    Refund,
    RefundStatus,
    Return,
    ReturnStatus,
)
from merchantops.domain.purchasing.models import PoStatus, PurchaseOrder
from merchantops.domain.seeding import BUYER, CLERK, DEMO_STAFF, FINANCE
from merchantops.domain.suppliers.models import Grade, Supplier
from merchantops.domain.support import sla
from merchantops.domain.support.clocks import ClockState
from merchantops.domain.support.config import support_settings
from merchantops.domain.support.models import (
    EscalationLevel,
    EscalationReason,
    SlaClock,
    SupportTeam,
    SurveyResponse,
    Ticket,
    TicketEscalation,
)
from merchantops.domain.support.policies import Severity, TicketStatus
from merchantops.tenants.context import Crossing, across_tenants, tenant_scope
from merchantops.tenants.models import Tenant
from tests.conftest import GraphQLClient

pytestmark = pytest.mark.usefixtures("db")


async def _row_counts() -> dict[str, int]:
    connection = Tortoise.get_connection("default")
    counts = {}
    for model in Tortoise.apps["merchantops"].values():
        table = model._meta.db_table
        with across_tenants(Crossing.TENANT_LIFECYCLE):  # every tenant's rows
            _, rows = await connection.execute_query(f'SELECT COUNT(*) AS n FROM "{table}"')
        counts[table] = int(rows[0]["n"])
    return counts


async def _demo_tenant() -> Tenant:
    return await Tenant.get(slug=DEMO_SLUG)


async def test_a_second_run_adds_nothing() -> None:
    # given
    first = await ensure_demo()
    seeded = await _row_counts()

    # when
    second = await ensure_demo()

    # then
    assert await _row_counts() == seeded
    assert first == second
    assert {login.email for login in second} >= {member.email for member in DEMO_STAFF}
    assert seeded["product"] == 10
    assert seeded["purchase_order"] >= 8


async def test_the_supply_chain_is_there_in_every_state() -> None:
    await ensure_demo()
    with tenant_scope((await _demo_tenant()).id):
        statuses = {order.status for order in await PurchaseOrder.all()}
        grades = [supplier.grade for supplier in await Supplier.all()]
        stages = {product.stage for product in await Product.all()}
        skus = await Sku.all().count()
        expiring = await Lot.filter(expires_on__isnull=False).count()
        allocations = {a.status for a in await Allocation.all()}
        analysed = await SkuAnalytics.all().count()

    assert statuses == set(PoStatus)
    assert {Grade.A, Grade.B, Grade.C, Grade.D} <= set(grades)
    assert grades.count(Grade.D) == 1
    assert {LifecycleStage.GROWTH, LifecycleStage.MATURITY, LifecycleStage.DECLINE} <= stages
    assert skus >= 20
    assert expiring > 0
    assert analysed == skus
    assert allocations == set(AllocationStatus)  # canceled and expired orders released theirs


async def test_orders_are_there_in_every_state_with_a_return_and_refunds() -> None:
    await ensure_demo()
    with tenant_scope((await _demo_tenant()).id):
        statuses = {order.status for order in await Order.all()}
        payments = {order.payment_status for order in await Order.all()}
        fulfilments = {f.status for f in await FulfillmentOrder.all()}
        [rma] = await Return.all()
        refunds = await Refund.filter(status=RefundStatus.SUCCESS).count()
        report = await reconcile.rebuild()

    assert statuses == set(OrderStatus)
    assert {"NONE", "AUTHORIZED", "PAID", "PARTIALLY_REFUNDED"} <= payments
    assert {FulfillmentStatus.ON_HOLD, FulfillmentStatus.DELIVERED} <= fulfilments
    assert (rma.status, refunds) == (ReturnStatus.CLOSED, 2)
    assert report.ok, report.mismatches


async def test_tickets_are_there_in_every_sla_state_with_a_breached_major_complaint() -> None:
    await ensure_demo()
    now = datetime.now(UTC)
    with tenant_scope((await _demo_tenant()).id):
        statuses = {ticket.status for ticket in await Ticket.all()}
        settings = await support_settings()
        states = set()
        for ticket in await Ticket.all():
            cals = await sla.calendars(ticket, settings)
            for row in await SlaClock.filter(ticket_id=ticket.id):
                states.add(sla.view(row, cals, now)["state"])
        major = await Ticket.get(severity=Severity.MAJOR)
        lead = await SupportTeam.get(name="Front line")
        steps = {(s.level, s.reason) for s in await TicketEscalation.filter(ticket_id=major.id)}
        answers = sorted(
            (s.csat, s.nps) for s in await SurveyResponse.filter(answered_at__isnull=False)
        )

    assert statuses == set(TicketStatus) - {TicketStatus.ON_HOLD}
    assert states == set(ClockState)
    assert major.assignee_id == lead.lead_id
    assert answers == [(2, 4), (5, 9)]
    assert {
        (EscalationLevel.MANAGEMENT, EscalationReason.MAJOR_COMPLAINT),
        (EscalationLevel.TEAM_LEAD, EscalationReason.SLA_BREACH),
    } <= steps


async def test_demo_large_po_awaiting_finance_shows_awaiting_approval_status() -> None:
    await ensure_demo()
    with tenant_scope((await _demo_tenant()).id):
        [request] = await ApprovalRequest.filter(status=ApprovalStatus.PENDING)
        order = await PurchaseOrder.get(id=request.subject_id)

    assert (request.action, request.role) == ("purchase_order.submit", "finance-manager")
    assert order.total > 50_000
    assert (order.status, order.pending_approval_id) == (PoStatus.AWAITING_APPROVAL, request.id)


async def test_the_stock_ledger_is_consistent_and_a_sku_is_below_safety_stock() -> None:
    await ensure_demo()
    with tenant_scope((await _demo_tenant()).id):
        report = await reconcile.rebuild()
        low = await positions.below_safety()

    assert report.ok, report.mismatches
    assert report.levels_checked > 20
    assert {position.sku for position in low} >= {"COF-ETH-250", "MER-CREW-M"}


SUPPLIER_CONTACTS = """
{ suppliers(first: 10, sort: {field: CODE}) { edges { node { code contacts { email } } } } }
"""
MY_APPROVALS = "{ approvalRequests(mine: true, first: 10) { edges { node { role status } } } }"


async def _as(gql: GraphQLClient, email: str, password: str, query: str) -> Any:
    session = await gql.login(email, password)
    answer = await gql.execute(query, token=session["accessToken"], tenant=DEMO_SLUG)
    assert "errors" not in answer, answer
    return answer["data"]


async def test_demo_staff_see_contacts_and_approvals_by_their_roles(gql: GraphQLClient) -> None:
    await ensure_demo()

    def emails(data: Any) -> list[str]:
        nodes = [edge["node"] for edge in data["suppliers"]["edges"]]
        return [c["email"] for node in nodes if node["code"] == "NWT" for c in node["contacts"]]

    bought = emails(await _as(gql, BUYER.email, BUYER.password, SUPPLIER_CONTACTS))
    clerked = emails(await _as(gql, CLERK.email, CLERK.password, SUPPLIER_CONTACTS))
    approvals = await _as(gql, FINANCE.email, FINANCE.password, MY_APPROVALS)

    assert "ines.carvalho@northwind-textiles.example" in bought
    assert clerked
    assert "ines.carvalho@northwind-textiles.example" not in clerked
    assert [edge["node"] for edge in approvals["approvalRequests"]["edges"]] == [
        {"role": "finance-manager", "status": "PENDING"}
    ]
