from __future__ import annotations

from datetime import datetime
from typing import Any, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.masking import json_masked
from merchantops.tenants import models
from merchantops.tenants.audit import ChainReport
from merchantops.tenants.global_ids import public_actor, public_id, with_public_ids


@strawberry.type(name="AuditEntry")
class AuditEntryNode(relay.Node):
    id: relay.NodeID[str]
    seq: int = strawberry.field(description="Position in the tenant's chain, from 1.")
    actor: str = strawberry.field(
        description="user:<global id of the User>, api_key:<public id> or system:..."
    )
    action: str
    target_type: str
    target_id: str
    diff_value: strawberry.Private[Any]
    request_id: str | None
    created_at: datetime
    hash: str

    @strawberry.field(
        description="{before, after}: only the fields that changed; personal data masked."
    )
    async def diff(self, info: Info) -> JSON:
        masked: JSON = await json_masked(info, self.diff_value)
        return masked

    @classmethod
    def from_model(cls, entry: models.AuditEntry) -> Self:
        diff: Any = entry.diff
        assert entry.seq is not None, "list sealed entries only"
        assert entry.hash is not None
        return cls(
            id=str(entry.id),
            seq=entry.seq,
            actor=public_actor(entry.actor),
            action=entry.action,
            target_type=entry.target_type,
            target_id=str(public_id(entry.target_type, entry.target_id)),
            diff_value=with_public_ids(diff, entry.target_type),
            request_id=entry.request_id,
            created_at=entry.created_at,
            hash=entry.hash,
        )


@strawberry.type
class AuditChainReport:
    ok: bool
    entries: int = strawberry.field(description="Entries checked.")
    first_broken_seq: int | None = strawberry.field(
        description="The first sequence number that is altered, missing or out of order."
    )
    reason: str | None

    @classmethod
    def from_report(cls, report: ChainReport) -> Self:
        return cls(
            ok=report.ok,
            entries=report.entries,
            first_broken_seq=report.first_broken_seq,
            reason=report.reason,
        )


__all__ = ["AuditChainReport", "AuditEntryNode"]
