"""The rule sets every tenant starts with, encoding the operations standard.

Facts are the ones domain services and events provide (`action`, `po.total`, ...); areas not
built yet simply never produce a matching fact.
"""

from __future__ import annotations

from typing import Any

from merchantops.rules import versions
from merchantops.rules.masking import TEMPLATE as MASKING

COMPLIANCE: dict[str, Any] = {
    "kind": "compliance",
    "description": (
        "Standard 3.1, 1.3, 1.4, 4.3: purchasing, pricing, data-export and refund controls"
    ),
    "rules": [
        {
            "id": "large-po-needs-finance",
            "description": "A purchase order over 50,000 needs finance approval",
            "when": {
                "all": [
                    {"fact": "action", "in": ["purchase_order.submit", "purchase_order.approve"]},
                    {"fact": "po.total", "gt": 50000},
                ]
            },
            "then": {
                "outcome": "require_approval",
                "role": "finance-manager",
                "reason": "Purchase orders over 50,000 need finance approval",
            },
        },
        {
            "id": "no-po-to-grade-d",
            "description": "Grade-D suppliers get no new purchase orders",
            "when": {
                "all": [
                    {"fact": "action", "eq": "purchase_order.submit"},
                    {"fact": "supplier.grade", "eq": "D"},
                ]
            },
            "then": {"outcome": "deny", "reason": "Grade-D suppliers get no new purchase orders"},
        },
        {
            "id": "large-price-change",
            "description": "A price change over 30% needs approval",
            "when": {
                "all": [
                    {"fact": "action", "eq": "product.price_change"},
                    {
                        "any": [
                            {"fact": "price.change_ratio", "gt": 0.3},
                            {"fact": "price.change_ratio", "lt": -0.3},
                        ]
                    },
                ]
            },
            "then": {
                "outcome": "require_approval",
                "role": "supply-chain-manager",
                "reason": "Price changes over 30% need approval",
            },
        },
        {
            "id": "large-refund-needs-finance",
            "description": "A refund over 2,000 needs a finance approver",
            "when": {
                "all": [
                    {"fact": "action", "eq": "refund.create"},
                    {"fact": "refund.amount", "gt": 2000},
                ]
            },
            "then": {
                "outcome": "require_approval",
                "role": "finance-manager",
                "reason": "Refunds over 2,000 need a finance approver",
            },
        },
        {
            "id": "no-self-refund",
            "description": "Nobody refunds an order they placed",
            "when": {
                "all": [
                    {"fact": "action", "eq": "refund.create"},
                    {"fact": "refund.refunder", "eq": "placer"},
                ]
            },
            "then": {"outcome": "deny", "reason": "Nobody refunds an order they placed"},
        },
        {
            "id": "personal-data-export",
            "description": "Bulk export of personal data needs compliance approval",
            "when": {
                "all": [
                    {"fact": "action", "eq": "data_export.create"},
                    {
                        "fact": "export.classification",
                        "in": ["confidential_personal", "sensitive_personal"],
                    },
                ]
            },
            "then": {
                "outcome": "require_approval",
                "role": "compliance-officer",
                "reason": "Bulk exports of personal data need compliance approval",
            },
        },
    ],
}

RISK: dict[str, Any] = {
    "kind": "risk",
    "description": "Standard 5, 3.2 and 4.3: service levels, stock, orders and refunds",
    "rules": [
        {
            "id": "complaint-unanswered-24h",
            "when": {
                "all": [
                    {"fact": "ticket.kind", "eq": "complaint"},
                    {"fact": "ticket.hours_unanswered", "gte": 24},
                ]
            },
            "then": {
                "alert": "Complaint not answered within 24 h",
                "severity": "high",
                "dedup_key": "ticket.id",
            },
        },
        {
            "id": "complaint-unresolved-72h",
            "when": {
                "all": [
                    {"fact": "ticket.kind", "eq": "complaint"},
                    {"fact": "ticket.hours_open", "gte": 72},
                    {"fact": "ticket.status", "not_in": ["solved", "closed"]},
                ]
            },
            "then": {
                "alert": "Complaint not resolved within 72 h",
                "severity": "high",
                "dedup_key": "ticket.id",
            },
        },
        {
            "id": "major-complaint-escalates",
            "when": {
                "all": [
                    {"fact": "ticket.kind", "eq": "complaint"},
                    {"fact": "ticket.severity", "eq": "major"},
                ]
            },
            "then": {
                "alert": "Major complaint: escalate",
                "severity": "critical",
                "dedup_key": "ticket.id",
            },
        },
        {
            "id": "many-orders-one-address",
            "description": "More than 5 orders to one shipping address within an hour",
            "when": {
                "all": [
                    {"fact": "event", "eq": "order.placed"},
                    {"fact": "orders_from_address_last_hour", "gt": 5},
                ]
            },
            "then": {
                "alert": "Many orders to one address within an hour",
                "severity": "medium",
                "dedup_key": "address_ref",
            },
        },
        {
            "id": "customer-refund-rate",
            "description": "A customer with 3 or more orders, more than half of them refunded",
            "when": {
                "all": [
                    {"fact": "event", "eq": "refund.requested"},
                    {"fact": "customer_orders", "gte": 3},
                    {"fact": "customer_refund_rate", "gt": 0.5},
                ]
            },
            "then": {
                "alert": "High refund rate of a customer",
                "severity": "medium",
                "dedup_key": "customer_id",
            },
        },
        {
            "id": "stock-below-safety",
            "when": {"fact": "stock.below_safety_by", "gt": 0},
            "then": {
                "alert": "Stock under safety level",
                "severity": "medium",
                "dedup_key": "stock.sku",
            },
        },
    ],
}


async def install() -> None:
    """Draft and activate the templates for the tenant in context."""
    for document in (COMPLIANCE, RISK, MASKING):
        draft = await versions.create_draft(document)
        await versions.activate(draft.id)


__all__ = ["COMPLIANCE", "MASKING", "RISK", "install"]
