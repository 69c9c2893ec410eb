"""The tamper-evident audit trail: one hash chain per tenant.

Entry n stores `hash = sha256(prev_hash + canonical JSON of the entry)`, where the JSON covers
the tenant, the sequence number n, the actor, action, target, diff, request id and time, and
`prev_hash` is entry n-1's hash (64 zeros for n = 1). Editing an entry breaks its own hash;
deleting one leaves a gap in the sequence; reordering breaks the link of the first moved
entry. `verify` walks the chain and names the first sequence number that does not hold.

`record` is called inside the transaction of the change it records, so both commit or neither;
it only inserts the entry, unchained (no sequence number, no hash), and takes no lock. Right
before that transaction commits, `seal` chains every unchained entry of the tenant
(`dbengine.before_commit`). It locks the tenant row as the transaction's last lock, held for the
commit only, so writes of a tenant take turns at the moment of commit and never while they take
other locks. The lock is `FOR NO KEY UPDATE`: it does not wait for the key-share locks that
every insert of a tenant's rows takes on the tenant row through its foreign key (a plain
`FOR UPDATE` does, which is how two writers used to deadlock on it). The chain's order is the
order of commits. An entry written outside a transaction is sealed at once; one whose process
died before sealing it is sealed by the next write of its tenant, by `verify`, or by the
periodic `seal_all`. Readers see sealed entries only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.dbengine import before_commit
from merchantops.tenants.context import (
    Crossing,
    across_tenants,
    current_actor,
    current_request_id,
    current_tenant_id,
    tenant_scope,
)
from merchantops.tenants.models import AuditEntry, Tenant

GENESIS = "0" * 64
VERIFY_BATCH = 1000
SEAL_BATCH = 500


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(entry: AuditEntry, prev_hash: str) -> str:
    body = {
        "tenant": str(entry.tenant_id),
        "seq": entry.seq,
        "actor": entry.actor,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "diff": entry.diff,
        "request_id": entry.request_id,
        "created_at": _timestamp(entry.created_at),
    }
    return hashlib.sha256((prev_hash + canonical_json(body)).encode()).hexdigest()


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, Any]:
    """Only what changed: `{"before": {...}, "after": {...}}` over the keys that differ."""
    old, new = dict(before or {}), dict(after or {})
    keys = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    return {
        "before": {k: old[k] for k in keys if k in old} if before is not None else None,
        "after": {k: new[k] for k in keys if k in new} if after is not None else None,
    }


async def record(
    action: str,
    target_type: str,
    target_id: object,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry for the tenant in context, in the caller's transaction; it is chained
    right before that transaction commits."""
    tenant_id = current_tenant_id("AuditEntry")
    entry = await AuditEntry.create(
        tenant_id=tenant_id,
        actor=current_actor()[:100],
        action=action,
        target_type=target_type,
        target_id=str(target_id)[:100],
        diff=json.loads(canonical_json(diff(before, after))),
        request_id=current_request_id(),
        created_at=datetime.now(UTC),
    )
    await before_commit(("audit.seal", tenant_id), lambda: seal(tenant_id))
    return entry


async def seal(tenant_id: UUID) -> int:
    """Chain the tenant's unchained entries, oldest first; returns how many were chained."""
    sealed = 0
    with tenant_scope(tenant_id):
        while True:
            async with in_transaction():
                await Tenant.select_for_update(no_key=True).filter(id=tenant_id).first()
                batch = await AuditEntry.filter(seq__isnull=True).order_by("id").limit(SEAL_BATCH)
                if not batch:
                    return sealed
                last = (
                    await AuditEntry.filter(seq__isnull=False)
                    .order_by("-seq")
                    .only("seq", "hash")
                    .first()
                )
                seq, prev_hash = (
                    (last.seq or 0, last.hash or GENESIS) if last is not None else (0, GENESIS)
                )
                for entry in batch:
                    seq += 1
                    entry.seq, entry.prev_hash = seq, prev_hash
                    entry.hash = prev_hash = entry_hash(entry, prev_hash)
                await AuditEntry.bulk_update(batch, fields=["seq", "prev_hash", "hash"])
                sealed += len(batch)


async def seal_all() -> int:
    """Seal every tenant with unchained entries (the periodic sweep; crosses tenants)."""
    with across_tenants(Crossing.AUDIT_SEALING):
        tenant_ids: list[UUID] = await (  # type: ignore[assignment]
            AuditEntry.unscoped()
            .filter(seq__isnull=True)
            .distinct()
            .values_list("tenant_id", flat=True)
        )
    return sum([await seal(tenant_id) for tenant_id in tenant_ids])


@dataclass(frozen=True, slots=True)
class ChainReport:
    entries: int
    first_broken_seq: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


async def verify(tenant_id: UUID) -> ChainReport:
    """Walk the tenant's chain in sequence order; report the first entry that does not hold.
    Entries written but not chained yet are chained first."""
    await seal(tenant_id)
    expected_seq, prev_hash, count = 1, GENESIS, 0
    with tenant_scope(tenant_id):
        while True:
            batch = (
                await AuditEntry.filter(seq__gte=expected_seq).order_by("seq").limit(VERIFY_BATCH)
            )
            for entry in batch:
                count += 1
                if entry.seq != expected_seq:
                    return ChainReport(count, expected_seq, "missing entry (deleted)")
                if entry.prev_hash != prev_hash:
                    return ChainReport(count, entry.seq, "link to the previous entry broken")
                if entry_hash(entry, prev_hash) != entry.hash:
                    return ChainReport(count, entry.seq, "entry altered")
                expected_seq, prev_hash = entry.seq + 1, entry.hash
            if len(batch) < VERIFY_BATCH:
                return ChainReport(count, None, None)


__all__ = [
    "GENESIS",
    "ChainReport",
    "canonical_json",
    "diff",
    "entry_hash",
    "record",
    "seal",
    "seal_all",
    "verify",
]
