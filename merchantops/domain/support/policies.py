"""SLA policies, pure: an ordered list, the first whose conditions match a ticket applies.

A policy's conditions name allowed values per attribute (ticket type, priority, complaint
severity, channel) and customer tags (any of them); an attribute left out matches anything.
Per priority it sets targets (first reply, next reply, periodic update, resolution), each a
working time counted on a calendar (business hours; `None`: the tenant's default calendar) or
in calendar hours, with the ticket statuses that pause it.

`STANDARD` is what a new tenant starts with, the operations standard's chapter 5: every ticket
answered within 24 hours; complex problems (after-sales, returns, warranty) resolved within 48;
general complaints answered within 24 hours and resolved within 72; a major complaint escalated
to management at once (its targets are hours, and `escalate_at_once` says so).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from merchantops.domain.support.clocks import Target
from merchantops.errors import InvalidInput


class TicketType(StrEnum):
    INQUIRY = "INQUIRY"
    COMPLAINT = "COMPLAINT"
    AFTER_SALES = "AFTER_SALES"
    RETURN = "RETURN"
    WARRANTY = "WARRANTY"


class Priority(StrEnum):
    LOW = "LOW"
    NORMAL = "NORMAL"
    HIGH = "HIGH"
    URGENT = "URGENT"


class Severity(StrEnum):
    GENERAL = "GENERAL"
    MAJOR = "MAJOR"


class Channel(StrEnum):
    EMAIL = "EMAIL"
    CHAT = "CHAT"
    PHONE = "PHONE"
    APP = "APP"
    SOCIAL = "SOCIAL"


class TicketStatus(StrEnum):
    NEW = "NEW"
    OPEN = "OPEN"
    PENDING_CUSTOMER = "PENDING_CUSTOMER"
    ON_HOLD = "ON_HOLD"
    SOLVED = "SOLVED"
    CLOSED = "CLOSED"


@dataclass(frozen=True, slots=True)
class TicketFacts:
    """What a policy's conditions look at."""

    type: TicketType
    priority: Priority
    channel: Channel
    severity: Severity | None = None
    customer_tags: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Conditions:
    types: frozenset[TicketType] = frozenset()
    priorities: frozenset[Priority] = frozenset()
    severities: frozenset[Severity] = frozenset()
    channels: frozenset[Channel] = frozenset()
    customer_tags: frozenset[str] = frozenset()

    def match(self, ticket: TicketFacts) -> bool:
        return (
            (not self.types or ticket.type in self.types)
            and (not self.priorities or ticket.priority in self.priorities)
            and (not self.severities or ticket.severity in self.severities)
            and (not self.channels or ticket.channel in self.channels)
            and (not self.customer_tags or bool(self.customer_tags & ticket.customer_tags))
        )


@dataclass(frozen=True, slots=True)
class TargetRule:
    minutes: int
    business_hours: bool = True
    pause_on: frozenset[TicketStatus] = frozenset({TicketStatus.PENDING_CUSTOMER})

    @property
    def goal(self) -> timedelta:
        return timedelta(minutes=self.minutes)


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    conditions: Conditions
    targets: Mapping[Priority, Mapping[Target, TargetRule]]
    escalate_at_once: bool = False
    calendar_id: str | None = None

    def targets_for(self, priority: Priority) -> Mapping[Target, TargetRule]:
        return self.targets.get(priority, {})


def applicable(policies: Sequence[Policy], ticket: TicketFacts) -> Policy | None:
    """The first policy, in order, whose conditions match."""
    return next((policy for policy in policies if policy.conditions.match(ticket)), None)


HOUR = 60
_PAUSED = frozenset({TicketStatus.PENDING_CUSTOMER, TicketStatus.ON_HOLD})


def _every_priority(
    targets: Mapping[Target, TargetRule],
) -> dict[Priority, dict[Target, TargetRule]]:
    return {priority: dict(targets) for priority in Priority}


STANDARD: tuple[Policy, ...] = (
    Policy(
        "Major complaint: escalated to management at once",
        Conditions(types=frozenset({TicketType.COMPLAINT}), severities=frozenset({Severity.MAJOR})),
        _every_priority(
            {
                Target.FIRST_REPLY: TargetRule(4 * HOUR, business_hours=False),
                Target.PERIODIC_UPDATE: TargetRule(24 * HOUR, business_hours=False),
                Target.RESOLUTION: TargetRule(48 * HOUR, business_hours=False),
            }
        ),
        escalate_at_once=True,
    ),
    Policy(
        "General complaint: answered in 24 h, resolved in 72 h",
        Conditions(types=frozenset({TicketType.COMPLAINT})),
        _every_priority(
            {
                Target.FIRST_REPLY: TargetRule(24 * HOUR, business_hours=False),
                Target.RESOLUTION: TargetRule(72 * HOUR, business_hours=False, pause_on=_PAUSED),
            }
        ),
    ),
    Policy(
        "Complex problems: answered in 24 h, resolved in 48 h",
        Conditions(
            types=frozenset({TicketType.AFTER_SALES, TicketType.RETURN, TicketType.WARRANTY})
        ),
        _every_priority(
            {
                Target.FIRST_REPLY: TargetRule(24 * HOUR, business_hours=False),
                Target.NEXT_REPLY: TargetRule(24 * HOUR, business_hours=False),
                Target.RESOLUTION: TargetRule(48 * HOUR, business_hours=False, pause_on=_PAUSED),
            }
        ),
    ),
    Policy(
        "Every ticket: answered in 24 h",
        Conditions(),
        _every_priority({Target.FIRST_REPLY: TargetRule(24 * HOUR, business_hours=False)}),
    ),
)


def policy_document(policy: Policy) -> dict[str, Any]:
    """A policy as stored (JSON): what `parse_policy` reads back."""
    c = policy.conditions
    return {
        "name": policy.name,
        "conditions": {
            "types": sorted(c.types),
            "priorities": sorted(c.priorities),
            "severities": sorted(c.severities),
            "channels": sorted(c.channels),
            "customer_tags": sorted(c.customer_tags),
        },
        "targets": {
            priority.value: {
                target.value: {
                    "minutes": rule.minutes,
                    "business_hours": rule.business_hours,
                    "pause_on": sorted(rule.pause_on),
                }
                for target, rule in targets.items()
            }
            for priority, targets in policy.targets.items()
        },
        "escalate_at_once": policy.escalate_at_once,
        "calendar_id": policy.calendar_id,
    }


def _values(raw: Any, kind: type[StrEnum], field: str) -> frozenset[Any]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list):
        raise InvalidInput("A list of values.", field=field)
    try:
        return frozenset(kind(value) for value in raw)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidInput(f"Values are among {allowed}.", field=field) from None


def parse_policy(document: Mapping[str, Any], field: str = "policy") -> Policy:
    """A stored or submitted policy, checked: typed errors naming the part at fault."""
    name = str(document.get("name", "")).strip()
    if not 1 <= len(name) <= 200:
        raise InvalidInput("A policy has a name of 1-200 characters.", field=f"{field}.name")
    raw = document.get("conditions") or {}
    conditions = Conditions(
        types=_values(raw.get("types"), TicketType, f"{field}.conditions.types"),
        priorities=_values(raw.get("priorities"), Priority, f"{field}.conditions.priorities"),
        severities=_values(raw.get("severities"), Severity, f"{field}.conditions.severities"),
        channels=_values(raw.get("channels"), Channel, f"{field}.conditions.channels"),
        customer_tags=frozenset(str(t).lower() for t in raw.get("customer_tags") or []),
    )
    targets: dict[Priority, dict[Target, TargetRule]] = {}
    for priority_name, by_target in (document.get("targets") or {}).items():
        at = f"{field}.targets.{priority_name}"
        [priority] = _values([priority_name], Priority, at)
        targets[priority] = {}
        for target_name, rule in by_target.items():
            [target] = _values([target_name], Target, f"{at}.{target_name}")
            minutes = rule.get("minutes")
            if (
                not isinstance(minutes, int)
                or isinstance(minutes, bool)
                or not 1 <= minutes <= 60 * 24 * 365
            ):
                raise InvalidInput(
                    "A target is 1 minute to a year.", field=f"{at}.{target_name}.minutes"
                )
            targets[priority][target] = TargetRule(
                minutes,
                bool(rule.get("business_hours", True)),
                _values(rule.get("pause_on", []), TicketStatus, f"{at}.{target_name}.pause_on"),
            )
    return Policy(
        name,
        conditions,
        targets,
        bool(document.get("escalate_at_once", False)),
        document.get("calendar_id"),
    )


__all__ = [
    "STANDARD",
    "Channel",
    "Conditions",
    "Policy",
    "Priority",
    "Severity",
    "TargetRule",
    "TicketFacts",
    "TicketStatus",
    "TicketType",
    "applicable",
    "parse_policy",
    "policy_document",
]
