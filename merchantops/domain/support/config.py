"""A tenant's customer-service configuration: its settings and its ordered SLA policies.

A tenant without settings yet (created before customer service existed) gets the defaults
and the standard's policies (`policies.STANDARD`) on first use, in one step, so every tenant
has them. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.calendars.service import get_calendar
from merchantops.domain.support.models import SlaPolicyRecord, SupportSettings
from merchantops.domain.support.policies import STANDARD, Policy, parse_policy, policy_document
from merchantops.errors import InvalidInput
from merchantops.tenants import audit

MAX_POLICIES = 50


@dataclass(frozen=True, slots=True)
class SettingsChanges:
    """What an update sets; None leaves a setting as it is."""

    warning_share: float | None = None
    auto_close_days: int | None = None
    reopen_escalation_threshold: int | None = None
    confirmation_timeout_days: int | None = None
    survey_valid_days: int | None = None
    calendar_id: UUID | None = None
    clear_calendar: bool = False


async def support_settings() -> SupportSettings:
    """The tenant's settings, created with the defaults (and the standard policies) on first
    use."""
    found = await SupportSettings.first()
    if found is not None:
        return found
    async with in_transaction():
        found, created = await SupportSettings.get_or_create()
        if created and not await SlaPolicyRecord.exists():
            await SlaPolicyRecord.bulk_create(
                [
                    SlaPolicyRecord(position=i, document=policy_document(policy))
                    for i, policy in enumerate(STANDARD)
                ]
            )
    return found


async def sla_policies() -> list[Policy]:
    """The tenant's policies in order."""
    await support_settings()
    rows = await SlaPolicyRecord.all().order_by("position")
    return [parse_policy(row.document) for row in rows]


async def policy_records() -> list[SlaPolicyRecord]:
    await support_settings()
    return list(await SlaPolicyRecord.all().order_by("position"))


def _whole(value: int, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not low <= value <= high:
        raise InvalidInput(f"Between {low} and {high}.", field=field)
    return value


async def update_settings(changes: SettingsChanges) -> SupportSettings:
    values: dict[str, Any] = {}
    if changes.warning_share is not None:
        share = changes.warning_share
        if not 0.05 <= share <= 0.99:  # NaN fails this too
            raise InvalidInput("A share between 0.05 and 0.99.", field="warningShare")
        values["warning_share"] = share
    for name, low, high in (
        ("auto_close_days", 1, 365),
        ("reopen_escalation_threshold", 1, 100),
        ("confirmation_timeout_days", 1, 60),
        ("survey_valid_days", 1, 365),
    ):
        value = getattr(changes, name)
        if value is not None:
            camel = "".join(w if i == 0 else w.title() for i, w in enumerate(name.split("_")))
            values[name] = _whole(value, camel, low, high)
    if changes.calendar_id is not None:
        values["calendar_id"] = (await get_calendar(changes.calendar_id, field="calendarId")).id
    elif changes.clear_calendar:
        values["calendar_id"] = None
    async with in_transaction():
        settings = await support_settings()
        settings = await SupportSettings.select_for_update().get(id=settings.id)
        before = {name: _plain(getattr(settings, name)) for name in values}
        for name, value in values.items():
            setattr(settings, name, value)
        if values:
            await settings.save(update_fields=[*values, "updated_at"])
            await audit.record(
                "support.settings_changed",
                "support_settings",
                settings.id,
                before=before,
                after={name: _plain(value) for name, value in values.items()},
            )
    return settings


def _plain(value: object) -> object:
    return str(value) if isinstance(value, UUID) else value


async def replace_policies(documents: Sequence[Mapping[str, Any]]) -> list[SlaPolicyRecord]:
    """The tenant's whole ordered list at once (the first matching applies), each document
    checked (typed errors naming `policies.<i>.<part>`). Open tickets keep the targets fixed
    when their policy applied; a later priority or type change applies the new list."""
    if not 1 <= len(documents) <= MAX_POLICIES:
        raise InvalidInput(f"1 to {MAX_POLICIES} policies.", field="policies")
    parsed = [parse_policy(document, field=f"policies.{i}") for i, document in enumerate(documents)]
    for i, policy in enumerate(parsed):
        if policy.calendar_id is not None:
            try:
                calendar_id = UUID(str(policy.calendar_id))
            except ValueError:
                raise InvalidInput("A calendar id.", field=f"policies.{i}.calendarId") from None
            await get_calendar(calendar_id, field=f"policies.{i}.calendarId")
    async with in_transaction():
        await support_settings()
        before = [row.document for row in await SlaPolicyRecord.all().order_by("position")]
        await SlaPolicyRecord.all().delete()
        rows = [
            SlaPolicyRecord(position=i, document=policy_document(policy))
            for i, policy in enumerate(parsed)
        ]
        await SlaPolicyRecord.bulk_create(rows)
        await audit.record(
            "support.sla_policies_changed",
            "sla_policy",
            "list",
            before={"policies": before},
            after={"policies": [row.document for row in rows]},
        )
    return await policy_records()


__all__ = [
    "SettingsChanges",
    "policy_records",
    "replace_policies",
    "sla_policies",
    "support_settings",
    "update_settings",
]
