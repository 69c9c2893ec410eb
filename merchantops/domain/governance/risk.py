"""Raising risk alerts from events, de-duplicated, and moving them through their states."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID, uuid4

from tortoise.transactions import in_transaction

from merchantops.domain.governance.models import AlertStatus, RiskAlert, RiskSignal
from merchantops.errors import InvalidInput, NotFound
from merchantops.observability import metrics
from merchantops.rules.document import RiskThen, RuleSetKind
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.rules.reference import MISSING, lookup
from merchantops.tenants import audit, outbox
from merchantops.tenants.audit import canonical_json
from merchantops.tenants.context import current_tenant_id
from merchantops.tenants.jobs import JobContext, JobFunction
from merchantops.tenants.models import OutboxEvent, Tenant

LIVE = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


def fact_of(event: OutboxEvent) -> dict[str, Any]:
    return {"event": event.type, **event.payload}


async def raise_alerts(evaluator: RuleEvaluator, event: OutboxEvent) -> list[RiskAlert]:
    """Evaluate the tenant's risk rules on an event; open or bump one alert per matching rule."""
    fact = fact_of(event)
    raised = []
    for decision in await evaluator.evaluate(RuleSetKind.RISK, fact):
        assert isinstance(decision.outcome, RiskThen)
        if await RiskSignal.exists(event_id=event.id, rule_id=decision.rule):
            continue  # this event was handled already (a re-run job)
        raised.append(await _signal(event, fact, decision.rule, decision.outcome))
    return raised


async def _signal(event: OutboxEvent, fact: dict[str, Any], rule: str, then: RiskThen) -> RiskAlert:
    value = lookup(fact, then.dedup_key) if then.dedup_key else ""
    key = f"{rule}:{'' if value is MISSING else value}"
    async with in_transaction():
        alert = await open_or_bump(
            rule, then.alert, then.severity.value, key, fact, event_id=event.id
        )
        await RiskSignal.create(event_id=event.id, rule_id=rule, alert_id=alert.id)
    return alert


async def open_or_bump(
    rule: str,
    title: str,
    severity: str,
    key: str,
    fact: dict[str, Any],
    *,
    event_id: UUID | None = None,
) -> RiskAlert:
    """Add an occurrence to the live alert with `key`, or open one (and emit its event)."""
    snapshot = json.loads(canonical_json(fact))
    async with in_transaction():
        # Two signals with the same key may arrive at once: serialise on the tenant row,
        # since a lock on an alert that does not exist yet locks nothing.
        await Tenant.select_for_update(no_key=True).filter(id=current_tenant_id()).first()
        alert = await RiskAlert.filter(dedup_key=key[:400], status__in=LIVE).first()
        if alert is not None:
            alert.occurrences += 1
            alert.last_event_id, alert.last_fact = event_id or uuid4(), snapshot
            await alert.save(
                update_fields=["occurrences", "last_event_id", "last_fact", "updated_at"]
            )
            return alert
        alert = await RiskAlert.create(
            rule_id=rule,
            title=title,
            severity=severity,
            dedup_key=key[:400],
            last_event_id=event_id or uuid4(),
            last_fact=snapshot,
        )
        await outbox.emit(
            "risk_alert.raised",
            {"id": str(alert.id), "rule": rule, "title": title, "severity": severity},
        )
    metrics.risk_alert_raised(severity)  # after its transaction
    return alert


async def set_status(id: UUID, status: AlertStatus) -> RiskAlert:
    alert = await RiskAlert.get_or_none(id=id)
    if alert is None:
        raise NotFound("No risk alert with this id.", field="id")
    allowed = {
        AlertStatus.ACKNOWLEDGED: (AlertStatus.OPEN,),
        AlertStatus.RESOLVED: (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED),
    }[status]
    if alert.status not in allowed:
        raise InvalidInput(
            f"A {alert.status.value} alert cannot become {status.value}.", field="id"
        )
    before = {"status": alert.status.value}
    alert.status = status
    async with in_transaction():
        await alert.save(update_fields=["status", "updated_at"])
        await audit.record(
            f"risk_alert.{status.value}",
            "risk_alert",
            id,
            before=before,
            after={"status": status.value},
        )
    return alert


def risk_job(evaluator: RuleEvaluator) -> JobFunction:
    async def evaluate(ctx: JobContext, payload: dict[str, Any]) -> None:
        event = await OutboxEvent.get_or_none(id=payload["event_id"])
        if event is not None:
            await raise_alerts(evaluator, event)

    return evaluate


__all__ = ["LIVE", "fact_of", "open_or_bump", "raise_alerts", "risk_job", "set_status"]
