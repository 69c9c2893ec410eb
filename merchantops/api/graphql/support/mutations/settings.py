"""The tenant's SLA policies (the whole ordered list at once) and support settings. Both need
`ticket:approve` (customer-service managers). A policy's refusals name the part at fault as
`policies.<i>.<part>` (`policies.0.targets.HIGH.FIRST_REPLY.minutes`)."""

from __future__ import annotations

from typing import Any

import strawberry

from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_optional_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.support.types import (
    ComplaintSeverity,
    SlaPolicy,
    SlaTarget,
    SupportSettings,
    TicketChannel,
    TicketPriority,
    TicketStatus,
    TicketType,
)
from merchantops.domain.support import config
from merchantops.errors import InvalidInput

APPROVE = TenantPermission("ticket", "approve")


@strawberry.input(description="What a policy matches; a list left out or empty matches anything.")
class SlaConditionsInput:
    types: list[TicketType] = strawberry.field(default_factory=list)
    priorities: list[TicketPriority] = strawberry.field(default_factory=list)
    severities: list[ComplaintSeverity] = strawberry.field(default_factory=list)
    channels: list[TicketChannel] = strawberry.field(default_factory=list)
    customer_tags: list[str] = strawberry.field(
        default_factory=list, description="Customers with any of these tags."
    )


@strawberry.input(description="A target for tickets of one priority.")
class SlaTargetRuleInput:
    priority: TicketPriority
    target: SlaTarget
    minutes: int = strawberry.field(description="1 minute to a year of working time.")
    business_hours: bool = strawberry.field(
        default=True, description="Counted in the calendar's working hours (else around the clock)."
    )
    pause_on: list[TicketStatus] = strawberry.field(
        default_factory=lambda: [TicketStatus.PENDING_CUSTOMER],
        description="Statuses that pause it.",
    )


@strawberry.input
class SlaPolicyInput:
    name: str
    conditions: SlaConditionsInput | None = None
    targets: list[SlaTargetRuleInput] = strawberry.field(default_factory=list)
    escalate_at_once: bool = strawberry.field(
        default=False, description="Management is notified when a ticket takes this policy."
    )
    calendar_id: strawberry.ID | None = strawberry.field(
        default=None, description="A business calendar; null: the settings' (or default) one."
    )


@strawberry.input(description="The whole ordered list at once: the first matching policy applies.")
class ReplaceSlaPoliciesInput:
    policies: list[SlaPolicyInput]


@strawberry.type
class SlaPoliciesPayload:
    policies: list[SlaPolicy] | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="Fields left out (or null) stay as they are.")
class UpdateSupportSettingsInput:
    warning_share: float | None = strawberry.field(default=None, description="0.05 to 0.99.")
    auto_close_days: int | None = None
    reopen_escalation_threshold: int | None = None
    confirmation_timeout_days: int | None = None
    survey_valid_days: int | None = None
    calendar_id: strawberry.ID | None = None
    clear_calendar: bool = strawberry.field(
        default=False, description="Count in the tenant's default calendar again."
    )


@strawberry.type
class SupportSettingsPayload:
    settings: SupportSettings | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _document(policy: SlaPolicyInput, at: str) -> dict[str, Any]:
    """A typed policy as the document `config.replace_policies` checks (`policy_document`)."""
    conditions = policy.conditions or SlaConditionsInput()
    targets: dict[str, dict[str, Any]] = {}
    for j, rule in enumerate(policy.targets):
        by_target = targets.setdefault(rule.priority.value, {})
        if rule.target.value in by_target:
            raise InvalidInput(
                "One rule per priority and target.", field=f"{at}.targets.{j}.target"
            )
        by_target[rule.target.value] = {
            "minutes": rule.minutes,
            "business_hours": rule.business_hours,
            "pause_on": sorted(status.value for status in rule.pause_on),
        }
    calendar = decode_optional_id(policy.calendar_id, "BusinessCalendar", f"{at}.calendarId")
    return {
        "name": policy.name,
        "conditions": {
            "types": [t.value for t in conditions.types],
            "priorities": [p.value for p in conditions.priorities],
            "severities": [s.value for s in conditions.severities],
            "channels": [c.value for c in conditions.channels],
            "customer_tags": list(conditions.customer_tags),
        },
        "targets": targets,
        "escalate_at_once": policy.escalate_at_once,
        "calendar_id": str(calendar) if calendar else None,
    }


@strawberry.type
class SupportSettingsMutation:
    @strawberry.mutation(
        extensions=[requires(APPROVE)],
        description="Replace the ordered SLA policies. Open tickets keep the targets they have "
        "until their type, priority or severity changes.",
    )
    async def replace_sla_policies(self, input: ReplaceSlaPoliciesInput) -> SlaPoliciesPayload:
        documents = [_document(p, f"policies.{i}") for i, p in enumerate(input.policies)]
        rows = await config.replace_policies(documents)
        return SlaPoliciesPayload(policies=[SlaPolicy.from_model(row) for row in rows])

    @strawberry.mutation(extensions=[requires(APPROVE)])
    async def update_support_settings(
        self, input: UpdateSupportSettingsInput
    ) -> SupportSettingsPayload:
        settings = await config.update_settings(
            config.SettingsChanges(
                warning_share=input.warning_share,
                auto_close_days=input.auto_close_days,
                reopen_escalation_threshold=input.reopen_escalation_threshold,
                confirmation_timeout_days=input.confirmation_timeout_days,
                survey_valid_days=input.survey_valid_days,
                calendar_id=decode_optional_id(input.calendar_id, "BusinessCalendar", "calendarId"),
                clear_calendar=input.clear_calendar,
            )
        )
        return SupportSettingsPayload(settings=SupportSettings.from_model(settings))


__all__ = ["SlaPoliciesPayload", "SupportSettingsMutation", "SupportSettingsPayload"]
