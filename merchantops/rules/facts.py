"""The fact catalogue: every fact a rule of each kind can test, who provides it, what it means.

Compliance facts are what a domain service passes with its action (`purchase_order.submit`
passes `po.total`, `supplier.grade`, ...); risk facts are an outbox event's payload plus its
type as `event`. A document naming a fact outside its kind's catalogue is refused by
validation (`unknown_facts`), so a typo or a fact nobody sends (`refund.amount`) is caught
before it silently never fires.

The catalogue lives here, in the rules layer, rather than beside each builder: `tenants` (which
emits org events) may not import `rules`, and validation must see the whole catalogue in every
process whatever it imported. Tests hold the builders to it: each compliance caller's fact and
each event the demo tenant emits has exactly the paths declared for it
(`tests/integration/test_rule_facts.py`). `docs/rules.md` carries the catalogue as a table
generated from this module (`merchantops docs-facts --write`; a test fails when it is stale).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from merchantops.rules.document import AllOf, AnyOf, Compare, Condition, NotOf, RuleSetKind


class FactType(StrEnum):
    STRING = "string"
    NUMBER = "number"
    BOOLEAN = "boolean"
    LIST = "list"


@dataclass(frozen=True, slots=True)
class Fact:
    name: str
    type: FactType
    description: str


@dataclass(frozen=True, slots=True)
class Source:
    """Facts that every one of `by` (actions, or event types) provides."""

    kind: RuleSetKind
    by: tuple[str, ...]
    facts: tuple[Fact, ...]
    planned: bool = False  # declared for rules of an area that is not built yet


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    name: str
    type: FactType
    description: str
    provided_by: tuple[str, ...]
    planned: bool


S, N, B, L = FactType.STRING, FactType.NUMBER, FactType.BOOLEAN, FactType.LIST
COMPLIANCE, RISK = RuleSetKind.COMPLIANCE, RuleSetKind.RISK

PO_SUBMIT = "purchase_order.submit"
PO_APPROVE = "purchase_order.approve"
PRICE_CHANGE = "product.price_change"
EXPORT_CREATE = "data_export.create"
COMPLIANCE_ACTIONS = (PO_SUBMIT, PO_APPROVE, PRICE_CHANGE, EXPORT_CREATE)


def _ids(*names: str) -> tuple[Fact, ...]:
    return tuple(Fact(name, S, "Id (UUID) of the record") for name in names)


_STOCK = tuple(
    Fact(f"stock.{name}", type_, description)
    for name, type_, description in (
        ("sku", S, "SKU code"),
        ("sku_id", S, "SKU id"),
        ("warehouse", S, "Warehouse code"),
        ("warehouse_id", S, "Warehouse id"),
        ("on_hand", N, "Units on hand in the warehouse, after the change"),
        ("allocated", N, "Units allocated to orders"),
        ("available", N, "On hand minus allocated"),
        ("safety_stock", N, "Safety stock of the SKU's reorder policy (0 without one)"),
        ("reorder_point", N, "Reorder point of the SKU's reorder policy (0 without one)"),
        ("below_safety_by", N, "Units missing to reach safety stock (0 when at or above it)"),
    )
)
_ROLE = (
    Fact("slug", S, "Role slug"),
    Fact("name", S, "Role name"),
    Fact("permissions", L, "Permissions granted directly (`object:action`)"),
    Fact("inherits", L, "Roles it inherits"),
)
_MEMBER = (
    Fact("user", S, "User id"),
    Fact("department", S, "Department id ('' without one)"),
    Fact("roles", L, "Role slugs the member holds"),
)
_API_KEY = (
    Fact("name", S, "Key name"),
    Fact("prefix", S, "Public part of the key (`mok_<public id>`)"),
    Fact("role", S, "Role the key acts as"),
    Fact("scopes", L, "Scopes of the key"),
    Fact("expires_at", S, "Expiry time (ISO 8601), absent when it never expires"),
    Fact("revoked_at", S, "Revocation time (ISO 8601), absent unless revoked"),
    Fact("previous_expires_at", S, "When the secret before a rotation stops working"),
)
_APPROVAL = (
    Fact("action", S, "The held action, e.g. purchase_order.submit"),
    Fact("subject_type", S, "What waits: purchase_order, sku, data_export"),
    Fact("subject_id", S, "Id of what waits"),
    Fact("role", S, "Role that decides"),
    Fact("status", S, "pending, approved, rejected or cancelled"),
)

SOURCES: tuple[Source, ...] = (
    # --- compliance: what each governed action passes ------------------------------------
    Source(COMPLIANCE, COMPLIANCE_ACTIONS, (Fact("action", S, "The action asked about"),)),
    Source(
        COMPLIANCE,
        (PO_SUBMIT, PO_APPROVE),
        (
            Fact("po.number", S, "Order number, e.g. PO-000042"),
            Fact("po.total", N, "Order total (sum of quantity x unit cost)"),
            Fact("po.currency", S, "ISO currency code of the total"),
            Fact("po.lines", N, "Number of order lines"),
            Fact("supplier.code", S, "Supplier code"),
            Fact("supplier.grade", S, "Supplier grade A-D, '' while ungraded"),
        ),
    ),
    Source(
        COMPLIANCE,
        (PRICE_CHANGE,),
        (
            Fact("sku.code", S, "SKU code"),
            Fact("price.old", N, "Price before the change"),
            Fact("price.new", N, "Price asked for"),
            Fact("price.change_ratio", N, "(new - old) / old: 0.3 is +30%, -0.3 is -30%"),
        ),
    ),
    Source(
        COMPLIANCE,
        (EXPORT_CREATE,),
        (
            Fact("export.dataset", S, "supplier_contacts, members or skus"),
            Fact(
                "export.classification",
                S,
                "Highest classification of the exported fields: public, internal, "
                "confidential_personal or sensitive_personal",
            ),
        ),
    ),
    # --- risk: every outbox event, its type as `event` and its payload ---------------------
    Source(
        RISK,
        ("every event",),
        (Fact("event", S, "Event type, e.g. inventory.stock_changed"),),
    ),
    Source(
        RISK,
        (
            "api_key.created",
            "api_key.revoked",
            "approval.decided",
            "approval.requested",
            "data_export.queued",
            "department.created",
            "member.added",
            "member.removed",
            "product.created",
            "product.stage_changed",
            "purchase_order.approved",
            "purchase_order.cancelled",
            "purchase_order.closed",
            "purchase_order.received",
            "purchase_order.submitted",
            "risk_alert.raised",
            "role.changed",
            "sku.price_changed",
            "supplier.created",
        ),
        _ids("id"),
    ),
    Source(RISK, ("department.created",), (Fact("slug", S, "Department slug"),)),
    Source(
        RISK,
        ("department.created", "product.created"),
        (Fact("name", S, "Name of the department or product"),),
    ),
    Source(RISK, ("role.changed",), (*_ROLE, Fact("deleted", B, "true when the role was deleted"))),
    Source(RISK, ("member.added", "member.removed"), _MEMBER),
    Source(RISK, ("api_key.created", "api_key.revoked"), _API_KEY),
    Source(RISK, ("approval.requested", "approval.decided"), _APPROVAL),
    Source(
        RISK,
        ("product.stage_changed",),
        (Fact("from", S, "Lifecycle stage before"), Fact("to", S, "Lifecycle stage after")),
    ),
    Source(
        RISK,
        ("sku.price_changed",),
        (
            Fact("code", S, "SKU code"),
            Fact("old", S, "Price before, as a decimal string"),
            Fact("new", S, "Price after, as a decimal string"),
        ),
    ),
    Source(
        RISK,
        ("risk_alert.raised",),
        (
            Fact("rule", S, "Id of the rule that raised it"),
            Fact("title", S, "Alert title"),
            Fact("severity", S, "low, medium, high or critical"),
        ),
    ),
    Source(RISK, ("data_export.queued",), (Fact("dataset", S, "Exported dataset"),)),
    Source(
        RISK,
        ("inventory.stock_changed", "inventory.stock_low"),
        (
            Fact(
                "cause",
                S,
                "receipt, allocation, ship, release, adjustment, transfer, reorder_policy, "
                "or check (stock_low)",
            ),
        ),
    ),
    Source(RISK, ("inventory.stock_changed", "inventory.stock_low"), _STOCK),
    Source(RISK, ("supplier.created",), (Fact("code", S, "Supplier code"),)),
    Source(
        RISK,
        ("supplier.contact_added", "supplier.evaluated"),
        (*_ids("supplier.id"), Fact("supplier.code", S, "Supplier code")),
    ),
    Source(
        RISK,
        ("supplier.contact_added",),
        (
            Fact("full_name", S, "Contact name (personal data)"),
            Fact("title", S, "Contact's job title"),
            Fact("email", S, "Contact e-mail (personal data)"),
            Fact("phone", S, "Contact phone (personal data)"),
        ),
    ),
    Source(
        RISK,
        ("supplier.evaluated",),
        (
            Fact("grade", S, "Grade A-D after the evaluation"),
            Fact("previous_grade", S, "Grade before it (absent for a first evaluation)"),
            Fact("score", N, "Weighted score 0-100"),
        ),
    ),
    Source(
        RISK,
        (
            "purchase_order.approved",
            "purchase_order.cancelled",
            "purchase_order.closed",
            "purchase_order.received",
            "purchase_order.submitted",
        ),
        (Fact("number", S, "Purchase order number"),),
    ),
    Source(
        RISK,
        ("purchase_order.submitted", "purchase_order.approved"),
        (Fact("total", N, "Order total"),),
    ),
    Source(
        RISK,
        ("purchase_order.received",),
        (Fact("status", S, "partially_received or received"),),
    ),
    Source(
        RISK,
        ("ticket events (customer service, on the way)",),
        (
            Fact("ticket.id", S, "Ticket id"),
            Fact("ticket.kind", S, "inquiry, complaint or after_sales"),
            Fact("ticket.severity", S, "Ticket severity, e.g. major"),
            Fact("ticket.hours_unanswered", N, "Hours since opening without an answer"),
            Fact("ticket.hours_open", N, "Hours since opening"),
        ),
        planned=True,
    ),
)


def catalogue(kind: RuleSetKind) -> list[CatalogueEntry]:
    """The facts rules of `kind` can test, with every action or event providing them.

    One entry per name and meaning: `code` is a SKU's code in `sku.price_changed` and a
    supplier's in `supplier.created`, two entries.
    """
    merged: dict[tuple[str, str], CatalogueEntry] = {}
    for source in SOURCES:
        if source.kind is not kind:
            continue
        for fact in source.facts:
            seen = merged.get((fact.name, fact.description))
            by = source.by if seen is None else (*seen.provided_by, *source.by)
            merged[fact.name, fact.description] = CatalogueEntry(
                fact.name,
                fact.type,
                fact.description,
                tuple(sorted(set(by))),
                source.planned and (seen is None or seen.planned),
            )
    return sorted(merged.values(), key=lambda entry: (entry.name, entry.provided_by))


def provided(kind: RuleSetKind, by: str) -> set[str]:
    """The fact names one action or event type provides (for tests holding builders to it)."""
    common = {"action"} if kind is COMPLIANCE else {"event"}
    names = {
        fact.name
        for source in SOURCES
        if source.kind is kind and by in source.by
        for fact in source.facts
    }
    return names | common


def paths(fact: Any, prefix: str = "") -> set[str]:
    """The leaf paths of a fact: `{"po": {"total": 1}}` -> {"po.total"}."""
    if not isinstance(fact, dict) or not fact:
        return {prefix} if prefix else set()
    found: set[str] = set()
    for key, value in fact.items():
        found |= paths(value, f"{prefix}.{key}" if prefix else str(key))
    return found


def _known(kind: RuleSetKind) -> set[str]:
    """Fact names and every object above one (`po` for `po.total`): `exists` may test those."""
    names = {entry.name for entry in catalogue(kind)}
    return names | {name.rsplit(".", n)[0] for name in names for n in range(1, name.count(".") + 1)}


def _compares(condition: Condition, path: str) -> Iterator[tuple[str, Compare]]:
    if isinstance(condition, Compare):
        yield path, condition
    elif isinstance(condition, AllOf | AnyOf):
        name = "all" if isinstance(condition, AllOf) else "any"
        children = condition.all if isinstance(condition, AllOf) else condition.any
        for index, child in enumerate(children):
            yield from _compares(child, f"{path}.{name}[{index}]")
    elif isinstance(condition, NotOf):
        yield from _compares(condition.not_, f"{path}.not")


def unknown_facts(
    kind: RuleSetKind, conditions: Iterable[tuple[str, Condition]], keys: Iterable[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Problems for facts outside the catalogue: conditions and dedup keys, as (path, fact)."""
    known = _known(kind)
    named = [(f"{path}.fact", compare.fact) for root, condition in conditions
             for path, compare in _compares(condition, root)]  # fmt: skip
    named += [(path, key) for path, key in keys if key]
    return [(path, _unknown_message(kind, fact)) for path, fact in named if fact not in known]


def _unknown_message(kind: RuleSetKind, fact: str) -> str:
    head = fact.split(".", 1)[0]
    near = [entry.name for entry in catalogue(kind) if entry.name.split(".", 1)[0] == head]
    listed = near or sorted({entry.name.split(".", 1)[0] for entry in catalogue(kind)})
    what = f"known {head}.* facts" if near else "known facts start with"
    return (
        f"'{fact}' is not a {kind.value} fact: no action or event provides it; "
        f"{what}: {', '.join(listed)} (the ruleFacts query lists them all)"
    )


def markdown(kind: RuleSetKind) -> str:
    """The catalogue of `kind` as the table docs/rules.md carries."""
    lines = ["| fact | type | provided by | meaning |", "|---|---|---|---|"]
    for entry in catalogue(kind):
        by = ", ".join(f"`{name}`" if " " not in name else name for name in entry.provided_by)
        meaning = entry.description + (" (not provided yet)" if entry.planned else "")
        lines.append(f"| `{entry.name}` | {entry.type.value} | {by} | {meaning} |")
    return "\n".join(lines)


def _markers(kind: RuleSetKind) -> tuple[str, str]:
    return f"<!-- facts:{kind.value} (generated: merchantops docs-facts --write) -->", (
        f"<!-- /facts:{kind.value} -->"
    )


def update_docs(text: str) -> str:
    """`text` (docs/rules.md) with each kind's table between its markers replaced by the code's."""
    for kind in (COMPLIANCE, RISK):
        begin, end = _markers(kind)
        start, stop = text.find(begin), text.find(end)
        if start < 0 or stop < start:
            raise ValueError(f"docs/rules.md lost its markers {begin} ... {end}")
        text = f"{text[: start + len(begin)]}\n{markdown(kind)}\n{text[stop:]}"
    return text


__all__ = [
    "COMPLIANCE_ACTIONS",
    "SOURCES",
    "CatalogueEntry",
    "Fact",
    "FactType",
    "Source",
    "catalogue",
    "markdown",
    "paths",
    "provided",
    "unknown_facts",
    "update_docs",
]
