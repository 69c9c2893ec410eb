from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import Connection, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.governance.types import AlertStatus, RiskAlertNode
from merchantops.domain.governance.models import RiskAlert


@strawberry.type
class GovernanceQuery:
    @strawberry.field(
        extensions=[requires(TenantPermission("risk_alert", "read"))],
        description="Risk alerts, most recently active first.",
    )
    async def risk_alerts(
        self,
        info: Info,
        status: AlertStatus | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[RiskAlertNode]:
        alerts = RiskAlert.all()
        if status is not None:
            alerts = alerts.filter(status=status.value)
        return await paginate(
            info,
            alerts.order_by("-updated_at", "id"),
            first=first,
            after=after,
            last=last,
            before=before,
            to_node=RiskAlertNode.from_model,
        )


__all__ = ["GovernanceQuery"]
