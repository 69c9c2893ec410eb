"""The fact catalogue: every fact a rule of each kind can test, who provides it, what it means.

Compliance facts are what a domain service passes with its action (`purchase_order.submit`
passes `po.total`, `supplier.grade`, ...); risk facts are an outbox event's payload plus its
type as `event`. A document naming a fact outside its kind's catalogue is refused by
validation (`unknown_facts`), so a typo or a fact nobody sends (`refund.amount`) is caught
before it silently never fires.

Each area declares the facts of its compliance actions and events in `domain/<area>/facts.py`
(`FACTS`), beside the builders; `merchantops.bootstrap.wire` installs them when a process starts,
so validation sees the whole catalogue whatever the process imported. The platform kernel's own
events are declared here (`KERNEL`): `tenants` may not import `rules`. Tests hold the builders
to it: each compliance caller's fact and each event the demo tenant emits has exactly the
paths declared for it (`tests/integration/test_rule_facts.py`). `docs/rules.md` carries the
catalogue as a table generated from this module (`merchantops docs-facts --write`; a test
fails when it is stale).
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


def ids(*names: str) -> tuple[Fact, ...]:
    return tuple(Fact(name, S, "Id (UUID) of the record") for name in names)


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

# The platform kernel's own events (members, roles, departments, keys) and what every event or
# compliance action provides; each area declares its own in `domain/<area>/facts.py`.
KERNEL: tuple[Source, ...] = (
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
            "department.created",
            "member.added",
            "member.removed",
            "role.changed",
        ),
        ids("id"),
    ),
    Source(
        RISK,
        ("department.created",),
        (Fact("slug", S, "Department slug"), Fact("name", S, "Department name")),
    ),
    Source(RISK, ("role.changed",), (*_ROLE, Fact("deleted", B, "true when the role was deleted"))),
    Source(RISK, ("member.added", "member.removed"), _MEMBER),
    Source(RISK, ("api_key.created", "api_key.revoked"), _API_KEY),
)

_installed: tuple[Source, ...] = ()


def install(sources: Iterable[Source]) -> None:
    """Every area's facts (`domain/<area>/facts.py`), handed over by
    `merchantops.bootstrap.wire` when the process starts."""
    global _installed
    _installed = tuple(sources)


def compliance_actions() -> tuple[str, ...]:
    """Every action an area asks compliance about."""
    return tuple(
        sorted({by for s in (*KERNEL, *_installed) if s.kind is COMPLIANCE for by in s.by})
    )


def sources() -> tuple[Source, ...]:
    action = Source(
        COMPLIANCE, compliance_actions(), (Fact("action", S, "The action asked about"),)
    )
    return (action, *KERNEL, *_installed)


def catalogue(kind: RuleSetKind) -> list[CatalogueEntry]:
    """The facts rules of `kind` can test, with every action or event providing them.

    One entry per name and meaning: `code` is a SKU's code in `sku.price_changed` and a
    supplier's in `supplier.created`, two entries.
    """
    merged: dict[tuple[str, str], CatalogueEntry] = {}
    for source in sources():
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
        for source in sources()
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
    "KERNEL",
    "CatalogueEntry",
    "Fact",
    "FactType",
    "Source",
    "catalogue",
    "compliance_actions",
    "ids",
    "install",
    "markdown",
    "paths",
    "provided",
    "sources",
    "unknown_facts",
    "update_docs",
]
