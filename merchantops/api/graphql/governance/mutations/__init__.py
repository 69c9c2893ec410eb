from __future__ import annotations

import strawberry

from merchantops.api.graphql.governance.mutations.alerts import RiskAlertMutation


@strawberry.type
class GovernanceMutation(RiskAlertMutation):
    pass


__all__ = ["GovernanceMutation"]
