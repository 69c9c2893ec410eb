"""Every operation of the schema, aimed at another tenant's ids, finds nothing and changes nothing.

Two tenants have the same shapes of data. Tenant A's owner (by token) and A's API key call every
query and mutation; where an operation takes an id, it gets tenant B's. Each must answer exactly
as for an id that does not exist, no string of B's may appear in any response, and B's rows
(including its permission policy) must be byte-for-byte what they were.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import graphql
import pytest
from tortoise import Tortoise

from merchantops.api.graphql.schema import build_schema
from merchantops.db import APP_LABEL
from merchantops.domain.calendars import service as calendars
from merchantops.domain.catalog import service as catalog
from merchantops.domain.catalog.models import Sku
from merchantops.domain.customers import service as customers
from merchantops.domain.exports.models import DataExport
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.governance.models import ApprovalRequest, RiskAlert
from merchantops.domain.inventory import positions, stock
from merchantops.domain.inventory.models import (
    Warehouse,
)
from merchantops.domain.knowledge import articles as knowledge_articles
from merchantops.domain.knowledge import categories as knowledge_categories
from merchantops.domain.knowledge import search as knowledge_search
from merchantops.domain.orders import fulfilment, placement, returns, transactions
from merchantops.domain.orders import policies as order_policies
from merchantops.domain.orders.models import (
    FulfillmentOrder,
    OrderLine,
    ReturnLine,
    ReturnReason,
)
from merchantops.domain.orders.payments import Kind
from merchantops.domain.purchasing import service as purchasing
from merchantops.domain.purchasing.models import PurchaseOrderLine
from merchantops.domain.suppliers import service as suppliers
from merchantops.domain.suppliers.models import (
    SupplierContact,
)
from merchantops.domain.support import teams as support_teams
from merchantops.domain.support import tickets as support_tickets
from merchantops.domain.support.policies import Channel, TicketType
from merchantops.domain.webhooks import service as webhooks
from merchantops.rules import versions
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants import api_keys
from merchantops.tenants.base import TenantModel
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import (
    JobRecord,
    JobStatus,
    Membership,
    Tenant,
)
from merchantops.tenants.org import departments, roles
from merchantops.workers.registry import shared_engine
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, Shop, add_member, make_shop, principal
from tests.inventory import make_site, receive


@dataclass
class Ids:
    department: str
    role: str
    membership: str
    api_key: str
    webhook: str
    job: str
    rule_set: str
    alert: str
    slug: str
    product: str = ""
    sku: str = ""
    supplier: str = ""
    contact: str = ""
    order: str = ""
    line: str = ""
    approval: str = ""
    warehouse: str = ""
    zone: str = ""
    lot: str = ""
    allocation: str = ""
    customer: str = ""
    address: str = ""
    sales_order: str = ""
    order_line: str = ""
    fulfillment: str = ""
    transaction: str = ""
    rma: str = ""
    return_line: str = ""
    return_reason: str = ""
    calendar: str = ""
    holiday: str = ""
    article: str = ""
    article_category: str = ""
    knowledge_search: str = ""
    ticket: str = ""
    support_team: str = ""


def gid(type_name: str, pk: object) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def missing_ids() -> Ids:
    return Ids(
        department=gid("Department", uuid.uuid4()),
        role=gid("Role", uuid.uuid4()),
        membership=gid("Membership", uuid.uuid4()),
        api_key=gid("ApiKey", uuid.uuid4()),
        webhook=gid("WebhookSubscription", uuid.uuid4()),
        job=gid("Job", uuid.uuid4()),
        rule_set=gid("RuleSetVersion", uuid.uuid4()),
        alert=gid("RiskAlert", uuid.uuid4()),
        slug="no-such-tenant",
        product=gid("Product", uuid.uuid4()),
        sku=gid("Sku", uuid.uuid4()),
        supplier=gid("Supplier", uuid.uuid4()),
        contact=gid("SupplierContact", uuid.uuid4()),
        order=gid("PurchaseOrder", uuid.uuid4()),
        line=gid("PurchaseOrderLine", uuid.uuid4()),
        approval=gid("ApprovalRequest", uuid.uuid4()),
        warehouse=gid("Warehouse", uuid.uuid4()),
        zone=gid("Zone", uuid.uuid4()),
        lot=gid("Lot", uuid.uuid4()),
        allocation=gid("Allocation", uuid.uuid4()),
        customer=gid("Customer", uuid.uuid4()),
        address=gid("CustomerAddress", uuid.uuid4()),
        sales_order=gid("Order", uuid.uuid4()),
        order_line=gid("OrderLine", uuid.uuid4()),
        fulfillment=gid("FulfillmentOrder", uuid.uuid4()),
        transaction=gid("PaymentTransaction", uuid.uuid4()),
        rma=gid("Return", uuid.uuid4()),
        return_line=gid("ReturnLine", uuid.uuid4()),
        return_reason=gid("ReturnReason", uuid.uuid4()),
        calendar=gid("BusinessCalendar", uuid.uuid4()),
        holiday=gid("CalendarHoliday", uuid.uuid4()),
        article=gid("Article", uuid.uuid4()),
        article_category=gid("ArticleCategory", uuid.uuid4()),
        knowledge_search=gid("KnowledgeSearch", uuid.uuid4()),
        ticket=gid("Ticket", uuid.uuid4()),
        support_team=gid("SupportTeam", uuid.uuid4()),
    )


Call = tuple[str, dict[str, Any]]
OWNER_ACTOR = Actor(frozenset({"owner"}))
RULES = {
    "kind": "compliance",
    "description": "secret rules",
    "rules": [{"id": "r", "when": {"fact": "po.total", "eq": 1}, "then": {"outcome": "flag"}}],
}


def _id_only(name: str, selection: str, id_field: str) -> Callable[[Ids], Call]:
    """A mutation whose input is just an id, answering `selection` and errors."""
    return lambda i: (
        f"mutation($id: ID!) {{ {name}(input: {{id: $id}}) "
        f"{{ {selection} errors {{ field code message }} }} }}",
        {"id": vars(i)[id_field]},
    )


def _on_ticket(name: str, more: str = "") -> Callable[[Ids], Call]:
    """A ticket mutation whose input is the ticket's id (and an article's)."""
    arguments = "ticketId: $t, articleId: $a" if more else "ticketId: $t"
    declared = "$t: ID!, $a: ID!" if more else "$t: ID!"
    return lambda i: (
        f"mutation({declared}) {{ {name}(input: {{{arguments}}}) "
        "{ ticket { id status articles { title } } errors { field code message } } }",
        {"t": i.ticket, **({"a": i.article} if more else {})},
    )


# Operations that take another tenant's ids: (document, variables) for the ids of a tenant.
BY_ID: dict[str, Callable[[Ids], Call]] = {
    "updateBusinessCalendar": lambda i: (
        'mutation($id: ID!) { updateBusinessCalendar(input: {id: $id, name: "Mine"}) '
        "{ calendar { id name } errors { field code message } } }",
        {"id": i.calendar},
    ),
    "deleteBusinessCalendar": _id_only("deleteBusinessCalendar", "deletedId", "calendar"),
    "addCalendarHoliday": lambda i: (
        'mutation($id: ID!) { addCalendarHoliday(input: {calendarId: $id, date: "2026-06-01"}) '
        "{ holiday { id } errors { field code message } } }",
        {"id": i.calendar},
    ),
    "removeCalendarHoliday": _id_only("removeCalendarHoliday", "deletedId", "holiday"),
    "businessTime": lambda i: (
        'query($id: ID!) { businessTime(calendarId: $id, start: "2026-06-01T00:00:00Z", '
        "minutes: 60) { due errors { field code message } } }",
        {"id": i.calendar},
    ),
    "businessTimeBetween": lambda i: (
        'query($id: ID!) { businessTimeBetween(calendarId: $id, from: "2026-06-01T00:00:00Z", '
        'to: "2026-06-08T00:00:00Z") { seconds errors { field code message } } }',
        {"id": i.calendar},
    ),
    # knowledge: another tenant's category, article or search
    "updateArticleCategory": lambda i: (
        'mutation($id: ID!) { updateArticleCategory(input: {id: $id, name: "Mine"}) '
        "{ category { id name } errors { field code message } } }",
        {"id": i.article_category},
    ),
    "deleteArticleCategory": lambda i: (
        "mutation($id: ID!) { deleteArticleCategory(input: {id: $id}) "
        "{ deletedId errors { field code message } } }",
        {"id": i.article_category},
    ),
    "createArticle": lambda i: (
        'mutation($id: ID!) { createArticle(input: {categoryId: $id, title: "Mine"}) '
        "{ article { id } errors { field code message } } }",
        {"id": i.article_category},
    ),
    "updateArticleDraft": lambda i: (
        'mutation($id: ID!) { updateArticleDraft(input: {id: $id, body: "Mine"}) '
        "{ article { id title } version { number } errors { field code message } } }",
        {"id": i.article},
    ),
    **{
        name: _id_only(name, "article { id title status }", "article")
        for name in ("publishArticle", "archiveArticle")
    },
    "deleteArticle": _id_only("deleteArticle", "deletedId", "article"),
    "recordArticleView": lambda i: (
        "mutation($s: ID!, $a: ID!) { recordArticleView(input: {searchId: $s, articleId: $a}) "
        "{ recorded errors { field code message } } }",
        {"s": i.knowledge_search, "a": i.article},
    ),
    "updateCustomer": lambda i: (
        'mutation($id: ID!) { updateCustomer(input: {id: $id, name: "Mine"}) '
        "{ customer { id name } errors { field code message } } }",
        {"id": i.customer},
    ),
    "addCustomerAddress": lambda i: (
        "mutation($id: ID!) { addCustomerAddress(input: {customerId: $id, address: "
        '{recipient: "Me", line1: "1 Road", city: "Town", country: "FR"}}) '
        "{ address { id } errors { field code message } } }",
        {"id": i.customer},
    ),
    "removeCustomerAddress": _id_only("removeCustomerAddress", "deletedId", "address"),
    "exportCustomerData": _id_only("exportCustomerData", "document", "customer"),
    # customer service: another tenant's ticket, team, customer, article or calendar
    "createTicket": lambda i: (
        'mutation($c: ID!) { createTicket(input: {subject: "Mine", type: INQUIRY, '
        "channel: EMAIL, customerId: $c}) { ticket { id } errors { field code message } } }",
        {"c": i.customer},
    ),
    "addTicketMessage": lambda i: (
        'mutation($id: ID!) { addTicketMessage(input: {ticketId: $id, body: "Mine"}) '
        "{ message { id } ticket { id } errors { field code message } } }",
        {"id": i.ticket},
    ),
    "updateTicket": lambda i: (
        'mutation($id: ID!) { updateTicket(input: {id: $id, subject: "Mine"}) '
        "{ ticket { id subject } errors { field code message } } }",
        {"id": i.ticket},
    ),
    "setTicketStatus": lambda i: (
        "mutation($id: ID!) { setTicketStatus(input: {id: $id, status: ON_HOLD}) "
        "{ ticket { id status } errors { field code message } } }",
        {"id": i.ticket},
    ),
    "recordTicketResolution": lambda i: (
        'mutation($id: ID!) { recordTicketResolution(input: {ticketId: $id, rootCause: "x", '
        'correctiveAction: "y"}) { ticket { id rootCause } errors { field code message } } }',
        {"id": i.ticket},
    ),
    **{
        name: _on_ticket(name)
        for name in ("assignTicket", "requestResolutionConfirmation", "confirmResolution")
    },
    **{name: _on_ticket(name, "article") for name in ("linkTicketArticle", "unlinkTicketArticle")},
    "updateSupportTeam": lambda i: (
        'mutation($id: ID!) { updateSupportTeam(input: {id: $id, name: "Mine"}) '
        "{ team { id name } errors { field code message } } }",
        {"id": i.support_team},
    ),
    "deleteSupportTeam": _id_only("deleteSupportTeam", "deletedId", "support_team"),
    "updateSupportSettings": lambda i: (
        "mutation($c: ID!) { updateSupportSettings(input: {calendarId: $c}) "
        "{ settings { calendarId } errors { field code message } } }",
        {"c": i.calendar},
    ),
    "replaceSlaPolicies": lambda i: (
        'mutation($c: ID!) { replaceSlaPolicies(input: {policies: [{name: "Mine", '
        "calendarId: $c, targets: [{priority: NORMAL, target: FIRST_REPLY, minutes: 60}]}]}) "
        "{ policies { name } errors { field code message } } }",
        {"c": i.calendar},
    ),
    # orders: another tenant's order, fulfilment, transaction, return, SKU or reason
    "placeOrder": lambda i: (
        "mutation($sku: ID!) { placeOrder(input: {lines: [{skuId: $sku, quantity: 1}]}) "
        "{ order { id } errors { field code message } } }",
        {"sku": i.sku},
    ),
    **{
        name: _id_only(name, "order { id status }", "sales_order")
        for name in ("confirmOrder", "completeDraftOrder")
    },
    "cancelOrder": lambda i: (
        'mutation($id: ID!) { cancelOrder(input: {id: $id, reason: "mine"}) '
        "{ order { id } errors { field code message } } }",
        {"id": i.sales_order},
    ),
    "addOrderNote": lambda i: (
        'mutation($id: ID!) { addOrderNote(input: {id: $id, note: "mine"}) '
        "{ order { id } errors { field code message } } }",
        {"id": i.sales_order},
    ),
    "holdFulfillment": lambda i: (
        'mutation($id: ID!) { holdFulfillment(input: {id: $id, reason: "mine"}) '
        "{ fulfillment { id } errors { field code message } } }",
        {"id": i.fulfillment},
    ),
    **{
        name: _id_only(name, "fulfillment { id status }", "fulfillment")
        for name in (
            "releaseFulfillmentHold",
            "startFulfillment",
            "shipFulfillment",
            "markFulfillmentDelivered",
        )
    },
    "authorizePayment": lambda i: (
        'mutation($id: ID!) { authorizePayment(input: {orderId: $id, amount: "1", '
        'idempotencyKey: "k"}) { transaction { id } errors { field code message } } }',
        {"id": i.sales_order},
    ),
    "chargePayment": lambda i: (
        'mutation($id: ID!) { chargePayment(input: {orderId: $id, amount: "1", '
        'idempotencyKey: "k"}) { transaction { id } errors { field code message } } }',
        {"id": i.sales_order},
    ),
    "voidPayment": lambda i: (
        'mutation($id: ID!) { voidPayment(input: {orderId: $id, authorizationKey: "a", '
        'idempotencyKey: "k"}) { transaction { id } errors { field code message } } }',
        {"id": i.sales_order},
    ),
    "settlePaymentTransaction": lambda i: (
        "mutation($id: ID!) { settlePaymentTransaction(input: {id: $id, status: SUCCESS}) "
        "{ transaction { id } errors { field code message } } }",
        {"id": i.transaction},
    ),
    "refundOrder": lambda i: (
        'mutation($id: ID!) { refundOrder(input: {orderId: $id, idempotencyKey: "k", '
        'amount: "1", reason: "mine"}) { refund { id } errors { field code message } } }',
        {"id": i.sales_order},
    ),
    "requestReturn": lambda i: (
        "mutation($id: ID!, $line: ID!) { requestReturn(input: {orderId: $id, lines: "
        '[{orderLineId: $line, quantity: 1, reasonCode: "damaged"}]}) '
        "{ return { id } errors { field code message } } }",
        {"id": i.sales_order, "line": i.order_line},
    ),
    **{
        name: _id_only(name, "return { id status }", "rma")
        for name in ("approveReturn", "closeReturn")
    },
    "declineReturn": lambda i: (
        'mutation($id: ID!) { declineReturn(input: {id: $id, reason: "mine"}) '
        "{ return { id } errors { field code message } } }",
        {"id": i.rma},
    ),
    "markReturnInTransit": _id_only("markReturnInTransit", "return { id }", "rma"),
    "receiveReturn": lambda i: (
        "mutation($id: ID!, $line: ID!) { receiveReturn(input: {id: $id, lines: "
        "[{returnLineId: $line, quantity: 1}]}) { return { id } errors { field code message } } }",
        {"id": i.rma, "line": i.return_line},
    ),
    "inspectReturn": lambda i: (
        "mutation($id: ID!, $line: ID!) { inspectReturn(input: {id: $id, lines: "
        "[{returnLineId: $line, disposition: RESTOCK}]}) "
        "{ return { id } errors { field code message } } }",
        {"id": i.rma, "line": i.return_line},
    ),
    "setSkuOrderPolicy": lambda i: (
        "mutation($id: ID!) { setSkuOrderPolicy(input: {skuId: $id, returnable: false}) "
        "{ policy { skuId } errors { field code message } } }",
        {"id": i.sku},
    ),
    "updateReturnReason": lambda i: (
        'mutation($id: ID!) { updateReturnReason(input: {id: $id, label: "mine"}) '
        "{ reason { id } errors { field code message } } }",
        {"id": i.return_reason},
    ),
    "eraseCustomer": _id_only(
        "eraseCustomer", "customer { id name } approvalRequest { id }", "customer"
    ),
    "renameDepartment": lambda i: (
        'mutation($id: ID!) { renameDepartment(input: {id: $id, name: "Mine"}) '
        "{ department { id } errors { field code message } } }",
        {"id": i.department},
    ),
    "deleteDepartment": lambda i: (
        "mutation($id: ID!) { deleteDepartment(input: {id: $id}) "
        "{ deletedId errors { field code message } } }",
        {"id": i.department},
    ),
    "updateRole": lambda i: (
        'mutation($id: ID!) { updateRole(input: {id: $id, name: "Mine", permissions: []}) '
        "{ role { id } errors { field code message } } }",
        {"id": i.role},
    ),
    "deleteRole": lambda i: (
        "mutation($id: ID!) { deleteRole(input: {id: $id}) "
        "{ deletedId errors { field code message } } }",
        {"id": i.role},
    ),
    "removeMember": lambda i: (
        "mutation($id: ID!) { removeMember(input: {id: $id}) "
        "{ deletedId errors { field code message } } }",
        {"id": i.membership},
    ),
    "assignRole": lambda i: (
        'mutation($id: ID!) { assignRole(input: {memberId: $id, role: "auditor"}) '
        "{ member { id } errors { field code message } } }",
        {"id": i.membership},
    ),
    "unassignRole": lambda i: (
        'mutation($id: ID!) { unassignRole(input: {memberId: $id, role: "owner"}) '
        "{ member { id } errors { field code message } } }",
        {"id": i.membership},
    ),
    "setMemberDepartment": lambda i: (
        "mutation($id: ID!) { setMemberDepartment(input: {memberId: $id}) "
        "{ member { id } errors { field code message } } }",
        {"id": i.membership},
    ),
    "rotateApiKey": lambda i: (
        "mutation($id: ID!) { rotateApiKey(input: {id: $id}) "
        "{ key errors { field code message } } }",
        {"id": i.api_key},
    ),
    "deleteWebhookSubscription": lambda i: (
        "mutation($id: ID!) { deleteWebhookSubscription(input: {id: $id}) "
        "{ deletedId errors { field code message } } }",
        {"id": i.webhook},
    ),
    "replayJob": lambda i: (
        "mutation($id: ID!) { replayJob(input: {id: $id}) "
        "{ job { id } errors { field code message } } }",
        {"id": i.job},
    ),
    "activateRuleSet": lambda i: (
        "mutation($id: ID!) { activateRuleSet(input: {id: $id}) "
        "{ version { id } errors { field code message } } }",
        {"id": i.rule_set},
    ),
    "dryRunRuleSet": lambda i: (
        "query($id: ID!) { dryRunRuleSet(id: $id, facts: [{}]) "
        "{ results { fired outcomes } errors { field code message } } }",
        {"id": i.rule_set},
    ),
    "acknowledgeRiskAlert": lambda i: (
        "mutation($id: ID!) { acknowledgeRiskAlert(input: {id: $id}) "
        "{ alert { id } errors { field code message } } }",
        {"id": i.alert},
    ),
    "resolveRiskAlert": lambda i: (
        "mutation($id: ID!) { resolveRiskAlert(input: {id: $id}) "
        "{ alert { id } errors { field code message } } }",
        {"id": i.alert},
    ),
    "renameWarehouse": lambda i: (
        'mutation($id: ID!) { renameWarehouse(input: {id: $id, name: "Mine"}) '
        "{ warehouse { id name } errors { field code message } } }",
        {"id": i.warehouse},
    ),
    "createZone": lambda i: (
        'mutation($id: ID!) { createZone(input: {warehouseId: $id, code: "X", name: "Mine"}) '
        "{ zone { id } errors { field code message } } }",
        {"id": i.warehouse},
    ),
    "receiveStock": lambda i: (
        "mutation($s: ID!, $z: ID!) { receiveStock(input: {skuId: $s, zoneId: $z, "
        'quantity: 5, traceCode: "mine-1"}) { lot { id } errors { field code message } } }',
        {"s": i.sku, "z": i.zone},
    ),
    "allocateStock": lambda i: (
        "mutation($s: ID!, $w: ID!) { allocateStock(input: {skuId: $s, warehouseId: $w, "
        'quantity: 1, reference: "mine"}) { allocation { id } errors { field code message } } }',
        {"s": i.sku, "w": i.warehouse},
    ),
    "releaseAllocation": lambda i: (
        "mutation($id: ID!) { releaseAllocation(input: {id: $id}) "
        "{ allocation { id } errors { field code message } } }",
        {"id": i.allocation},
    ),
    "shipAllocation": lambda i: (
        "mutation($id: ID!) { shipAllocation(input: {id: $id}) "
        "{ allocation { id } errors { field code message } } }",
        {"id": i.allocation},
    ),
    "adjustStock": lambda i: (
        "mutation($l: ID!, $z: ID!) { adjustStock(input: {lotId: $l, zoneId: $z, delta: -1, "
        'reason: "mine"}) { stockLevel { id } errors { field code message } } }',
        {"l": i.lot, "z": i.zone},
    ),
    "transferStock": lambda i: (
        "mutation($l: ID!, $z: ID!) { transferStock(input: {lotId: $l, fromZoneId: $z, "
        "toZoneId: $z, quantity: 1}) { source { id } errors { field code message } } }",
        {"l": i.lot, "z": i.zone},
    ),
    "setReorderPolicy": lambda i: (
        "mutation($s: ID!, $w: ID!) { setReorderPolicy(input: {skuId: $s, warehouseId: $w, "
        "safetyStock: 1, reorderPoint: 2}) { policy { id } errors { field code message } } }",
        {"s": i.sku, "w": i.warehouse},
    ),
    "revokeApiKey": lambda i: (
        "mutation($id: ID!) { revokeApiKey(input: {id: $id}) "
        "{ apiKey { id } errors { field code message } } }",
        {"id": i.api_key},
    ),
    "updateProduct": lambda i: (
        'mutation($id: ID!) { updateProduct(input: {id: $id, name: "Mine"}) '
        "{ product { id name } errors { field code message } } }",
        {"id": i.product},
    ),
    "changeProductStage": lambda i: (
        "mutation($id: ID!) { changeProductStage(input: {id: $id, stage: GROWTH}) "
        "{ product { id } errors { field code message } } }",
        {"id": i.product},
    ),
    "addSku": lambda i: (
        'mutation($id: ID!) { addSku(input: {productId: $id, sku: {code: "X-1", name: "x", '
        'price: "1"}}) { sku { id } errors { field code message } } }',
        {"id": i.product},
    ),
    "changeSkuPrice": lambda i: (
        'mutation($id: ID!) { changeSkuPrice(input: {skuId: $id, price: "1"}) '
        "{ sku { id code } approvalRequest { id } errors { field code message } } }",
        {"id": i.sku},
    ),
    "addSupplierContact": lambda i: (
        "mutation($id: ID!) { addSupplierContact(input: {supplierId: $id, "
        'contact: {fullName: "X"}}) { contact { id } errors { field code message } } }',
        {"id": i.supplier},
    ),
    "removeSupplierContact": lambda i: (
        "mutation($id: ID!) { removeSupplierContact(input: {id: $id}) "
        "{ deletedId errors { field code message } } }",
        {"id": i.contact},
    ),
    "evaluateSupplier": lambda i: (
        "mutation($id: ID!) { evaluateSupplier(input: {supplierId: $id, quality: 1, delivery: 1,"
        " price: 1, service: 1}) { supplier { id grade } errors { field code message } } }",
        {"id": i.supplier},
    ),
    "createPurchaseOrder": lambda i: (
        "mutation($s: ID!, $w: ID!, $k: ID!) { createPurchaseOrder(input: {supplierId: $s, "
        'warehouseId: $w, lines: [{skuId: $k, quantity: 1, unitCost: "1"}]}) '
        "{ purchaseOrder { id } errors { field code message } } }",
        {"s": i.supplier, "w": i.warehouse, "k": i.sku},
    ),
    **{
        name: _id_only(name, "purchaseOrder { id status }", "order")
        for name in (
            "submitPurchaseOrder",
            "approvePurchaseOrder",
            "closePurchaseOrder",
            "cancelPurchaseOrder",
        )
    },
    "receivePurchaseOrder": lambda i: (
        "mutation($id: ID!, $l: ID!) { receivePurchaseOrder(input: {id: $id, "
        "lines: [{lineId: $l, quantity: 1}]}) "
        "{ purchaseOrder { id } errors { field code message } } }",
        {"id": i.order, "l": i.line},
    ),
    **{
        name: _id_only(name, "approvalRequest { id status }", "approval")
        for name in ("approveRequest", "rejectRequest")
    },
}
STOCK_LEVEL = "{ id onHand lot { traceCode } zone { code } warehouse { code name } }"
# Operations that name the other tenant in another way, or act only in the caller's own tenant;
# they are called with B's identifiers where they take any, and must leak and change nothing.
OTHERS: dict[str, Callable[[Ids], Call]] = {
    "articleCategories": lambda i: ("{ articleCategories { id name slug } }", {}),
    "articles": lambda i: (
        "query($c: ID!) { articles(filter: {categoryId: $c}) { edges { node { id title } } } "
        "all: articles { edges { node { id title body slug versions { body } } } } }",
        {"c": i.article_category},
    ),
    "article": lambda i: (
        "query($id: ID!) { article(id: $id) { id title body versions { body } } }",
        {"id": i.article},
    ),
    "searchArticles": lambda i: (
        '{ searchArticles(query: "secret article", includeDrafts: true) '
        "{ searchId results { snippet article { id title } } } }",
        {},
    ),
    "knowledgeStats": lambda i: (
        '{ knowledgeStats(from: "2000-01-01T00:00:00Z", to: "2999-01-01T00:00:00Z") '
        "{ searches zeroResultSearches topZeroResultQueries { query searches } } }",
        {},
    ),
    # satisfaction: the public paths take a signed token (forged here: refused alike), staff's
    # survey field B's ticket, the figures are the caller's tenant's
    "survey": lambda i: (
        '{ survey(token: "forged.token") { answerable ticketNumber subject } }',
        {},
    ),
    "answerSurvey": lambda i: (
        'mutation { answerSurvey(input: {token: "forged.token", csat: 5, nps: 10}) '
        "{ answered errors { field code } } }",
        {},
    ),
    "ticketSurvey": lambda i: (
        "query($id: ID!) { ticketSurvey(ticketId: $id) { token csat comment } }",
        {"id": i.ticket},
    ),
    "supportMetrics": lambda i: (
        '{ supportMetrics(period: {from: "2000-01-01T00:00:00Z", to: "2999-01-01T00:00:00Z"}, '
        "groupBy: AGENT) { groups { agentId satisfaction { answers } backlog { total } } } }",
        {},
    ),
    "createArticleCategory": lambda i: (
        'mutation { createArticleCategory(input: {name: "Mine", slug: "mine-kb"}) '
        "{ category { id } errors { field code } } }",
        {},
    ),
    "ticket": lambda i: (
        "query($id: ID!) { ticket(id: $id) { id subject requesterEmail "
        "messages { edges { node { body } } } articles { title } } }",
        {"id": i.ticket},
    ),
    "tickets": lambda i: (
        "query($t: ID!, $c: ID!) { tickets(filter: {teamId: $t, customerId: $c}) "
        "{ edges { node { id } } } all: tickets(filter: {breachingWithinMinutes: 100000}) "
        "{ edges { node { id subject requesterEmail slaClocks { dueAt } } } } "
        'found: tickets(filter: {search: "secret"}) { edges { node { id subject } } } }',
        {"t": i.support_team, "c": i.customer},
    ),
    "supportTeams": lambda i: ("{ supportTeams { id name leadId } }", {}),
    "slaPolicies": lambda i: ("{ slaPolicies { name calendarId } }", {}),
    "supportSettings": lambda i: ("{ supportSettings { warningShare calendarId } }", {}),
    "createSupportTeam": lambda i: (
        'mutation { createSupportTeam(input: {name: "Mine"}) { team { id } errors { code } } }',
        {},
    ),
    "order": lambda i: (
        "query($id: ID!) { order(id: $id) { id email lines { skuCode } } }",
        {"id": i.sales_order},
    ),
    "orders": lambda i: (
        "query($sku: ID!) { orders(filter: {skuId: $sku}) { edges { node { id email } } } "
        "all: orders { edges { node { id number email shippingAddress { line1 } } } } }",
        {"sku": i.sku},
    ),
    "return": lambda i: ("query($id: ID!) { return(id: $id) { id note } }", {"id": i.rma}),
    "returns": lambda i: (
        "query($id: ID!) { returns(filter: {orderId: $id}) { edges { node { id } } } "
        "all: returns { edges { node { id note } } } }",
        {"id": i.sales_order},
    ),
    "orderSettings": lambda i: ("{ orderSettings { currency returnWindowDays } }", {}),
    "taxRates": lambda i: ("{ taxRates { id category rate } }", {}),
    "returnReasons": lambda i: ("{ returnReasons(includeInactive: true) { id code label } }", {}),
    "updateOrderSettings": lambda i: (
        "mutation { updateOrderSettings(input: {returnWindowDays: 9}) "
        "{ settings { returnWindowDays } errors { field code } } }",
        {},
    ),
    "setTaxRate": lambda i: (
        'mutation { setTaxRate(input: {category: "secret", rate: "0.2"}) '
        "{ taxRate { id } errors { field code } } }",
        {},
    ),
    "createReturnReason": lambda i: (
        'mutation { createReturnReason(input: {code: "secret", label: "Mine"}) '
        "{ reason { id } errors { field code } } }",
        {},
    ),
    "businessCalendar": lambda i: (
        "query($id: ID!) { businessCalendar(id: $id) { id name holidays { id name } } }",
        {"id": i.calendar},
    ),
    "businessCalendars": lambda i: (
        "{ businessCalendars { edges { node { id name timeZone holidays { name } } } } }",
        {},
    ),
    "createBusinessCalendar": lambda i: (
        'mutation { createBusinessCalendar(input: {name: "Mine"}) '
        "{ calendar { id } errors { field code } } }",
        {},
    ),
    "customer": lambda i: (
        "query($id: ID!) { customer(id: $id) { id name email addresses { line1 } } }",
        {"id": i.customer},
    ),
    "customers": lambda i: (
        '{ customers(filter: {search: "globex", includeErased: true}) '
        "{ edges { node { id name email } } } all: customers { edges { node { id name } } } }",
        {},
    ),
    "createCustomer": lambda i: (
        'mutation { createCustomer(input: {name: "Mine", email: "globex-secret-cust@x.example"})'
        " { customer { id } errors { field code } } }",
        {},
    ),
    "me": lambda i: ("{ me { user { email } memberships { roles tenant { slug } } } }", {}),
    "currentTenant": lambda i: ("{ currentTenant { id slug name } }", {}),
    "members": lambda i: ("{ members { edges { node { id roles user { email } } } } }", {}),
    "tenants": lambda i: ("{ tenants { edges { node { slug name } } } }", {}),
    "departments": lambda i: ("{ departments { edges { node { id slug name } } } }", {}),
    "roles": lambda i: ("{ roles { edges { node { id slug name inherits } } } }", {}),
    "permissionCatalogue": lambda i: ("{ permissionCatalogue { object action } }", {}),
    "apiKeys": lambda i: ("{ apiKeys { edges { node { id name prefix } } } }", {}),
    "auditLog": lambda i: (
        "{ auditLog { edges { node { actor action targetId diff } } } }",
        {},
    ),
    "auditChain": lambda i: ("{ auditChain { ok entries } }", {}),
    "webhookEventTypes": lambda i: ("{ webhookEventTypes }", {}),
    "webhookSubscriptions": lambda i: (
        "{ webhookSubscriptions { edges { node { id url eventTypes } } } }",
        {},
    ),
    "webhookDeliveries": lambda i: (
        "{ webhookDeliveries { edges { node { id eventId attemptLog { statusCode } } } } }",
        {},
    ),
    "jobs": lambda i: ("{ jobs { edges { node { id key name lastError } } } }", {}),
    "riskAlerts": lambda i: (
        "{ riskAlerts { edges { node { id title lastFact } } } }",
        {},
    ),
    "ruleSetVersions": lambda i: (
        "{ ruleSetVersions { edges { node { id document createdBy } } } }",
        {},
    ),
    "ruleFacts": lambda i: ("{ ruleFacts(kind: RISK) { name providedBy } }", {}),
    "validateRuleSet": lambda i: (
        "query($d: JSON!) { validateRuleSet(document: $d) { path message } }",
        {"d": {"kind": "risk", "rules": []}},
    ),
    "createRuleSetDraft": lambda i: (
        "mutation($d: JSON!) { createRuleSetDraft(input: {document: $d}) "
        "{ version { id version } errors { field code } } }",
        {"d": RULES},
    ),
    "rollbackRuleSet": lambda i: (
        "mutation { rollbackRuleSet(input: {kind: COMPLIANCE}) "
        "{ version { id } errors { code } } }",
        {},
    ),
    "createWebhookSubscription": lambda i: (
        'mutation { createWebhookSubscription(input: {url: "https://globex.example.com/hook", '
        'eventTypes: ["*"]}) { subscription { id } errors { field code } } }',
        {},
    ),
    "login": lambda i: (
        'mutation { login(input: {email: "owner@globex.example.com", password: "guess-1234"})'
        " { session { accessToken } errors { code } } }",
        {},
    ),
    "refreshToken": lambda i: (
        'mutation { refreshToken(input: {refreshToken: "stolen?"}) '
        "{ session { accessToken } errors { code } } }",
        {},
    ),
    "logout": lambda i: ('mutation { logout(input: {refreshToken: "stolen?"}) { ok } }', {}),
    "acceptInvitation": lambda i: (
        'mutation { acceptInvitation(input: {token: "guess", password: "long-enough-1"}) '
        "{ user { email } errors { code } } }",
        {},
    ),
    "createTenant": lambda i: (
        'mutation { createTenant(input: {slug: "globex", name: "Mine", '
        'ownerEmail: "owner@acme.example.com"}) { tenant { slug } errors { code } } }',
        {},
    ),
    "setTenantStatus": lambda i: (
        "mutation($s: String!) { setTenantStatus(input: {slug: $s, status: SUSPENDED}) "
        "{ tenant { slug } errors { code } } }",
        {"s": i.slug},
    ),
    "exportTenant": lambda i: (
        "mutation($s: String!) { exportTenant(input: {slug: $s}) "
        "{ archive { id tenantSlug } errors { code } } }",
        {"s": i.slug},
    ),
    "deleteTenant": lambda i: (
        "mutation($s: String!) { deleteTenant(input: {slug: $s, confirm: $s}) "
        "{ deletion { id tenantSlug } errors { code } } }",
        {"s": i.slug},
    ),
    "tenantArchive": lambda i: (
        "query($id: ID!) { tenantArchive(id: $id) { id tenantSlug fileName } }",
        {"id": gid("TenantArchive", uuid.uuid4())},
    ),
    "tenantArchives": lambda i: (
        "query($s: String!) { tenantArchives(slug: $s) { edges { node { id fileName } } } }",
        {"s": i.slug},
    ),
    "tenantDeletion": lambda i: (
        "query($id: ID!) { tenantDeletion(id: $id) { id tenantSlug } }",
        {"id": gid("TenantDeletion", uuid.uuid4())},
    ),
    "tenantDeletions": lambda i: (
        "query($s: String!) { tenantDeletions(slug: $s) { edges { node { id status } } } }",
        {"s": i.slug},
    ),
    "platformAuditLog": lambda i: (
        "{ platformAuditLog { edges { node { action tenantSlug details } } } }",
        {},
    ),
    "systemHealth": lambda i: ("{ systemHealth { ok queueDepth deadLetters } }", {}),
    "createDepartment": lambda i: (
        'mutation { createDepartment(input: {slug: "secret", name: "Mine"}) '
        "{ department { slug name } errors { field code } } }",
        {},
    ),
    "createRole": lambda i: (
        'mutation { createRole(input: {slug: "spy", name: "Spy", inherits: ["secret-role"]})'
        " { role { slug } errors { field code } } }",
        {},
    ),
    "addMember": lambda i: (
        'mutation { addMember(input: {email: "clerk@globex.example.com", roles: ["auditor"]})'
        " { member { id } errors { field code } } }",
        {},
    ),
    "products": lambda i: (
        "{ products { edges { node { id name skus { code } } } } }",
        {},
    ),
    "product": lambda i: ("query($id: ID!) { product(id: $id) { id name } }", {"id": i.product}),
    "skus": lambda i: (
        "query($id: ID!) { skus(filter: {productId: $id}) { edges { node { id code } } } }",
        {"id": i.product},
    ),
    "suppliers": lambda i: (
        "{ suppliers { edges { node { id code name contacts { fullName email phone } } } } }",
        {},
    ),
    "supplierScoringPolicy": lambda i: ("{ supplierScoringPolicy { qualityWeight } }", {}),
    "setSupplierScoringPolicy": lambda i: (
        'mutation { setSupplierScoringPolicy(input: {qualityWeight: "0.25", '
        'deliveryWeight: "0.25", priceWeight: "0.25", serviceWeight: "0.25", gradeAFrom: 90, '
        "gradeBFrom: 80, gradeCFrom: 70}) { policy { qualityWeight } errors { code } } }",
        {},
    ),
    "createProduct": lambda i: (
        'mutation { createProduct(input: {name: "Mine", skus: [{code: "globex-secret-sku", '
        'name: "x", price: "1"}]}) { product { id } errors { field code } } }',
        {},
    ),
    "createSupplier": lambda i: (
        'mutation { createSupplier(input: {code: "globex-secret-sup", name: "Mine"}) '
        "{ supplier { id } errors { field code } } }",
        {},
    ),
    "purchaseOrders": lambda i: (
        "query($id: ID!) { purchaseOrders(filter: {supplierId: $id}) "
        "{ edges { node { id number } } } }",
        {"id": i.supplier},
    ),
    "purchaseOrder": lambda i: (
        "query($id: ID!) { purchaseOrder(id: $id) { id number } }",
        {"id": i.order},
    ),
    "dataExports": lambda i: ("{ dataExports { edges { node { id dataset rows } } } }", {}),
    "requestDataExport": lambda i: (
        "mutation { requestDataExport(input: {dataset: SUPPLIER_CONTACTS}) "
        "{ export { id rows } errors { code } } }",
        {},
    ),
    "approvalRequests": lambda i: (
        "{ approvalRequests { edges { node { id action subjectId } } } }",
        {},
    ),
    "warehouses": lambda i: (
        "{ warehouses { edges { node { id code name zones { code } } } } }",
        {},
    ),
    "lots": lambda i: (
        "query($s: ID!) { lots(filter: {skuId: $s}) { edges { node { id traceCode } } } }",
        {"s": i.sku},
    ),
    "lotByTraceCode": lambda i: (
        'query { lotByTraceCode(code: "globex-secret-lot") { id traceCode } }',
        {},
    ),
    "stockLevels": lambda i: (
        "query($w: ID!) { stockLevels(filter: {warehouseId: $w}) { edges { node "
        + STOCK_LEVEL
        + " } } }",
        {"w": i.warehouse},
    ),
    "stockMovements": lambda i: (
        "{ stockMovements { edges { node { id reference actor allocation { id } } } } }",
        {},
    ),
    "allocations": lambda i: (
        'query { allocations(filter: {reference: "globex-secret-order"}) '
        "{ edges { node { id reference } } } }",
        {},
    ),
    "reorderPolicies": lambda i: (
        "query($s: ID!) { reorderPolicies(filter: {skuId: $s}) { edges { node { id } } } }",
        {"s": i.sku},
    ),
    "stockToReorder": lambda i: (
        "query($w: ID!) { stockToReorder(warehouseId: $w) { edges { node { skuCode } } } }",
        {"w": i.warehouse},
    ),
    "skuAnalytics": lambda i: ("{ skuAnalytics { edges { node { skuId abcClass } } } }", {}),
    "inventoryLedgerCheck": lambda i: (
        "{ inventoryLedgerCheck { ok levelsChecked mismatches { levelId } } }",
        {},
    ),
    "createWarehouse": lambda i: (
        'mutation { createWarehouse(input: {code: "SECRET-WH", name: "Mine"}) '
        "{ warehouse { id code } errors { field code } } }",
        {},
    ),
    "runInventoryAnalytics": lambda i: (
        "mutation { runInventoryAnalytics { job { name } errors { code } } }",
        {},
    ),
    "node": lambda i: ("query($id: ID!) { node(id: $id) { id } }", {"id": i.product}),
    "nodes": lambda i: (
        "query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }",
        {
            "ids": [
                v
                for k, v in vars(i).items()
                if k not in {"slug", "line", "contact", "zone", "holiday"}
                if k not in {"slug", "line", "contact", "zone", "knowledge_search"}
            ]
        },
    ),
    "createApiKey": lambda i: (
        'mutation { createApiKey(input: {name: "k", role: "secret-role", '
        'scopes: ["order:read"]}) { key errors { field code } } }',
        {},
    ),
}


def schema_operations() -> set[str]:
    schema = graphql.build_schema(str(build_schema()))
    assert schema.query_type is not None
    assert schema.mutation_type is not None
    return set(schema.query_type.fields) | set(schema.mutation_type.fields)


def test_the_matrix_covers_every_operation_of_the_schema() -> None:
    assert set(BY_ID) | set(OTHERS) == schema_operations(), (
        "add the new operation to BY_ID or OTHERS in this file"
    )


async def _seed(slug: str) -> tuple[Shop, Ids, list[str]]:
    shop = await make_shop(slug)
    clerk = await add_member(shop, f"clerk@{slug}.example.com", ["warehouse-staff"])
    actor = await principal(shop)
    with tenant_scope(shop.tenant.id):
        department = await departments.create_department(
            actor, "secret", f"{slug.title()} Secret Dept"
        )
        role = await roles.create_role(
            actor, "secret-role", f"{slug.title()} Secret Role", department_id=department.id,
            permissions=[("order", "read")], inherits=[],
        )  # fmt: skip
        issued = await api_keys.create_api_key(
            await principal(shop), f"{slug.title()} Secret Key", "owner", ["*:*"], expires_at=None
        )
        membership = await Membership.get(user_id=clerk.id)
        subscription = await webhooks.subscribe(
            f"http://127.0.0.1:9/{slug}-secret-hook", ["*"], allow_private=True
        )
        job = await JobRecord.create(
            key=f"{slug}-secret-job", name="process_event", status=JobStatus.DEAD
        )
        rule_set = await versions.create_draft(
            {**RULES, "description": f"{slug.title()} Secret rules"}
        )
        alert = await RiskAlert.create(
            rule_id="r",
            title=f"{slug.title()} Secret alert",
            severity="high",
            dedup_key=f"{slug}-secret-key",
            last_event_id=uuid.uuid4(),
        )
        title = slug.title()
        product = await catalog.create_product(
            f"{title} Secret Shirt",
            skus=[catalog.SkuSpec(f"{slug}-secret-sku", "M", Decimal(10), Decimal(5))],
        )
        sku = await Sku.get(product_id=product.id)
        supplier = await suppliers.create_supplier(
            f"{slug}-secret-sup",
            f"{title} Secret Mills",
            contacts=[
                suppliers.ContactSpec(f"{title} Secret Contact", email=f"{slug}-secret@x.example")
            ],
        )
        contact = await SupplierContact.get(supplier_id=supplier.id)
        site = await make_site("SECRET-WH")
        warehouse = site.warehouse
        await Warehouse.filter(id=warehouse.id).update(name=f"{title} Secret WH")
        order = await purchasing.create(
            supplier.id, warehouse.id, [purchasing.LineSpec(sku.id, 3, Decimal(2))]
        )
        line = await PurchaseOrderLine.get(purchase_order_id=order.id)
        await DataExport.create(
            dataset="skus",
            classification="internal",
            status="done",
            requested_by="user:someone",
            rows=[{"code": f"{slug}-secret-export"}],
        )
        approval = await ApprovalRequest.create(
            action="purchase_order.submit",
            subject_type="purchase_order",
            subject_id=str(order.id),
            role="finance-manager",
            requested_by="user:someone",
        )
        lot = await receive(sku, site.main, 10, trace_code=f"{slug}-secret-lot")
        allocation = await stock.allocate(sku.id, site.warehouse.id, 9, f"{slug}-secret-order")
        await positions.set_reorder_policy(
            sku.id, site.warehouse.id, safety_stock=5, reorder_point=8
        )
        customer = await customers.create_customer(
            customers.CustomerSpec(f"{title} Secret Customer", f"{slug}-secret-cust@x.example")
        )
        address = await customers.add_address(
            customer.id, customers.AddressSpec(f"{title} Secret", f"{slug}-secret road", "X", "FR")
        )
        await order_policies.install_defaults()
        sales = (
            await placement.place_order(
                RuleEvaluator(shared_engine()),
                OWNER_ACTOR,
                placement.OrderSpec(
                    lines=(placement.LineSpec(sku.id, 1),),
                    customer_id=customer.id,
                    email=f"{slug}-secret-buyer@x.example",
                    shipping_address=customers.AddressSpec(
                        f"{title} Secret Buyer", f"{slug}-secret street", "X", "FR"
                    ),
                    note=f"{title} Secret note",
                ),
            )
        ).order
        fulfillment = await FulfillmentOrder.get(order_id=sales.id)
        await fulfilment.ship(fulfillment.id)
        charge = await transactions.record(sales.id, Kind.CHARGE, sales.total, f"{slug}-secret-pay")
        order_line = await OrderLine.get(order_id=sales.id)
        rma = await returns.request_return(
            sales.id,
            (returns.ReturnLineSpec(order_line.id, 1, "damaged", f"{title} Secret evidence"),),
            note=f"{title} Secret return note",
        )
        return_line = await ReturnLine.get(rma_id=rma.id)
        reason = await ReturnReason.get(code="damaged")
        calendar = await calendars.create_calendar(
            calendars.CalendarSpec(f"{title} Secret Hours", time_zone="Asia/Shanghai")
        )
        holiday = await calendars.add_holiday(
            calendar.id, calendars.DaySpec(date(2026, 6, 1), f"{title} Secret Day")
        )
        kb_category = await knowledge_categories.create_category(
            f"{title} Secret category", f"{slug}-secret-kb"
        )
        article = await knowledge_articles.create_article(
            knowledge_articles.ArticleSpec(
                kb_category.id, f"{title} Secret article", f"{title} Secret body of the article"
            )
        )
        await knowledge_articles.publish_article(article.id)
        await knowledge_articles.update_draft(
            article.id, knowledge_articles.DraftChanges(body=f"{title} Secret draft")
        )
        kb_search = (await knowledge_search.search_articles("secret article")).search
        await knowledge_search.search_articles(f"{slug} secret nothing")
        team = await support_teams.create_team(f"{title} Secret team")
        ticket = (
            await support_tickets.create_ticket(
                support_tickets.TicketSpec(
                    subject=f"{title} Secret ticket",
                    type=TicketType.COMPLAINT,
                    channel=Channel.EMAIL,
                    body=f"{title} Secret complaint",
                    requester_name=f"{title} Secret requester",
                    requester_email=f"{slug}-secret-requester@x.example",
                    customer_id=customer.id,
                    team_id=team.id,
                    concerns_product=True,
                    lot_id=lot.id,
                )
            )
        ).ticket
        await support_tickets.link_article(ticket.id, article.id)
    ids = Ids(
        department=gid("Department", department.id),
        role=gid("Role", role.id),
        membership=gid("Membership", membership.id),
        api_key=gid("ApiKey", issued.api_key.id),
        webhook=gid("WebhookSubscription", subscription.id),
        job=gid("Job", job.id),
        rule_set=gid("RuleSetVersion", rule_set.id),
        alert=gid("RiskAlert", alert.id),
        slug=slug,
        product=gid("Product", product.id),
        sku=gid("Sku", sku.id),
        supplier=gid("Supplier", supplier.id),
        contact=gid("SupplierContact", contact.id),
        order=gid("PurchaseOrder", order.id),
        line=gid("PurchaseOrderLine", line.id),
        approval=gid("ApprovalRequest", approval.id),
        warehouse=gid("Warehouse", site.warehouse.id),
        zone=gid("Zone", site.main.id),
        lot=gid("Lot", lot.id),
        allocation=gid("Allocation", allocation.id),
        customer=gid("Customer", customer.id),
        address=gid("CustomerAddress", address.id),
        sales_order=gid("Order", sales.id),
        order_line=gid("OrderLine", order_line.id),
        fulfillment=gid("FulfillmentOrder", fulfillment.id),
        transaction=gid("PaymentTransaction", charge.id),
        rma=gid("Return", rma.id),
        return_line=gid("ReturnLine", return_line.id),
        return_reason=gid("ReturnReason", reason.id),
        calendar=gid("BusinessCalendar", calendar.id),
        holiday=gid("CalendarHoliday", holiday.id),
        article=gid("Article", article.id),
        article_category=gid("ArticleCategory", kb_category.id),
        knowledge_search=gid("KnowledgeSearch", kb_search.id),
        ticket=gid("Ticket", ticket.id),
        support_team=gid("SupportTeam", team.id),
    )
    markers = [
        slug,
        shop.email,
        f"clerk@{slug}.example.com",
        f"{slug.title()} Secret",
        issued.api_key.public_id,
        str(shop.tenant.id),
        f"{slug}-secret",
        *(
            vars(ids)[name]
            for name in (
                "department",
                "role",
                "membership",
                "api_key",
                "webhook",
                "job",
                "rule_set",
                "alert",
                "product",
                "sku",
                "supplier",
                "contact",
                "order",
                "line",
                "approval",
                "warehouse",
                "zone",
                "lot",
                "allocation",
                "customer",
                "address",
                "sales_order",
                "order_line",
                "fulfillment",
                "transaction",
                "rma",
                "return_line",
                "return_reason",
                "article",
                "article_category",
                "knowledge_search",
                "ticket",
                "support_team",
            )
        ),
    ]
    return shop, ids, markers


def tenant_tables() -> list[type[TenantModel]]:
    """Every tenant table of every area, found from the models tortoise knows: a new area's
    tables are in the matrix without being listed here."""
    return sorted(
        (m for m in Tortoise.apps[APP_LABEL].values() if issubclass(m, TenantModel)),
        key=lambda model: model.__name__,
    )


async def test_the_snapshot_covers_every_tenant_table(db: str) -> None:
    names = {model.__name__ for model in tenant_tables()}

    assert {"Department", "AuditEntry", "Product", "PurchaseOrder", "StockMovement"} <= names
    assert len(names) >= 30  # the 30 the matrix listed by hand before
    assert not names & {"Tenant", "User"}


async def _snapshot(tenant_id: object) -> list[Any]:
    tenant = await Tenant.get(id=tenant_id)
    rows: list[Any] = [(tenant.slug, tenant.name, tenant.status, tenant.policy_version)]
    with tenant_scope(tenant_id):  # type: ignore[arg-type]
        for model in tenant_tables():
            rows.append(sorted(map(str, await model.all().values())))
    return rows


@pytest.fixture
async def world(gql: GraphQLClient) -> dict[str, Any]:
    acme, _, _ = await _seed("acme")
    globex, b_ids, b_markers = await _seed("globex")
    token = (await gql.login(acme.email, PASSWORD))["accessToken"]
    with tenant_scope(acme.tenant.id):
        key = await api_keys.create_api_key(
            await principal(acme), "matrix", "owner", ["*:*"], expires_at=None
        )
    return {
        "acme": acme,
        "globex": globex,
        "ids": b_ids,
        "markers": b_markers,
        "callers": {"owner": {"token": token, "tenant": "acme"}, "api_key": {"token": key.key}},
    }


def _answer(body: dict[str, Any]) -> Any:
    """The part of a response that must not differ between B's id and a missing id."""
    data = body.get("data") or {}
    errors = [(e.get("extensions") or {}).get("code") for e in body.get("errors", [])]
    return data, errors


@pytest.mark.parametrize("caller", ["owner", "api_key"])
async def test_tenant_a_acting_on_tenant_b_ids_gets_not_found_and_changes_nothing(
    gql: GraphQLClient, world: dict[str, Any], caller: str
) -> None:
    credentials = world["callers"][caller]
    globex: Shop = world["globex"]
    before = await _snapshot(globex.tenant.id)

    for name, build in BY_ID.items():
        document, variables = build(world["ids"])
        response = await gql.post(document, variables, **credentials)
        body = response.json()
        payload = body["data"][name]
        assert payload["errors"][0]["code"] == "NOT_FOUND", (name, body)
        for marker in world["markers"]:
            assert marker not in response.text, (name, marker)
        missing_document, missing_variables = build(missing_ids())
        missing = (await gql.post(missing_document, missing_variables, **credentials)).json()
        assert _answer(body) == _answer(missing), name

    assert await _snapshot(globex.tenant.id) == before


@pytest.mark.parametrize("caller", ["owner", "api_key"])
async def test_no_operation_of_tenant_a_reveals_or_changes_anything_of_tenant_b(
    gql: GraphQLClient, world: dict[str, Any], caller: str
) -> None:
    credentials = world["callers"][caller]
    globex: Shop = world["globex"]
    before = await _snapshot(globex.tenant.id)

    for name, build in OTHERS.items():
        document, variables = build(world["ids"])
        response = await gql.post(document, variables, **credentials)
        assert response.status_code == 200, (name, response.text)
        for marker in world["markers"]:
            assert marker not in response.text, (name, marker, response.text)

    assert await _snapshot(globex.tenant.id) == before
