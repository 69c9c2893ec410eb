"""The audit trail: every change recorded in its own transaction, tampering detected."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from tortoise import Tortoise
from typer.testing import CliRunner

from merchantops.cli import app
from merchantops.errors import AlreadyExists
from merchantops.tenants import audit
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.jobs import RetryPolicy
from merchantops.tenants.models import AuditEntry
from merchantops.tenants.org import departments
from merchantops.workers import schedule
from tests.factories import Shop, make_shop, principal


async def _shop_with_history(entries: int = 5) -> Shop:
    shop = await make_shop("acme")
    actor = await principal(shop)
    with tenant_scope(shop.tenant.id), actor_scope(actor.actor, "req-1"):
        for n in range(entries):
            await departments.create_department(actor, f"dept-{n}", f"Department {n}")
    return shop


async def _seqs(shop: Shop) -> list[int]:
    with tenant_scope(shop.tenant.id):
        return [entry.seq for entry in await AuditEntry.all().order_by("seq").only("id", "seq")]


async def test_changes_are_recorded_with_actor_target_diff_and_request(db: str) -> None:
    shop = await _shop_with_history(1)

    with tenant_scope(shop.tenant.id):
        entry = await AuditEntry.filter(action="department.create").get()

    assert entry.actor == f"user:{shop.owner.id}"
    assert entry.request_id == "req-1"
    assert entry.target_type == "department"
    assert entry.diff == {"before": None, "after": {"name": "Department 0", "slug": "dept-0"}}
    assert await _seqs(shop) == list(range(1, entry.seq + 1))


async def test_intact_chain_verifies(db: str) -> None:
    shop = await _shop_with_history()

    report = await audit.verify(shop.tenant.id)

    assert report.ok
    assert report.entries == len(await _seqs(shop))


async def test_edited_entry_is_detected_at_its_sequence_number(db: str) -> None:
    shop = await _shop_with_history()
    with tenant_scope(shop.tenant.id):
        await AuditEntry.filter(seq=4).update(actor="user:someone-else")

    report = await audit.verify(shop.tenant.id)

    assert (report.first_broken_seq, report.reason) == (4, "entry altered")


async def test_deleted_entry_is_detected_at_its_sequence_number(db: str) -> None:
    shop = await _shop_with_history()
    with tenant_scope(shop.tenant.id):
        await AuditEntry.filter(seq=3).delete()

    report = await audit.verify(shop.tenant.id)

    assert (report.first_broken_seq, report.reason) == (3, "missing entry (deleted)")


async def test_reordered_entries_are_detected_at_the_first_moved_one(db: str) -> None:
    shop = await _shop_with_history()
    with tenant_scope(shop.tenant.id):
        await AuditEntry.filter(seq=5).update(seq=-5)
        await AuditEntry.filter(seq=4).update(seq=5)
        await AuditEntry.filter(seq=-5).update(seq=4)

    report = await audit.verify(shop.tenant.id)

    assert report.first_broken_seq == 4


async def test_deleting_the_newest_entry_is_invisible_only_to_the_chain_itself(db: str) -> None:
    # A chain cannot see truncation of its tail; the count in the report lets operators
    # compare with an external checkpoint (documented limitation).
    shop = await _shop_with_history()
    count = len(await _seqs(shop))
    with tenant_scope(shop.tenant.id):
        await AuditEntry.filter(seq=count).delete()

    report = await audit.verify(shop.tenant.id)

    assert report.ok
    assert report.entries == count - 1


async def test_failed_change_leaves_no_audit_entry(db: str) -> None:
    shop = await _shop_with_history(1)
    actor = await principal(shop)
    before = await _seqs(shop)

    with tenant_scope(shop.tenant.id), pytest.raises(AlreadyExists):
        await departments.create_department(actor, "dept-0", "Again")

    assert await _seqs(shop) == before


async def test_audit_write_shares_the_transaction_of_the_change(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the audit append fails after the department row was written
    shop = await make_shop("acme")
    actor = await principal(shop)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)

    # when
    with tenant_scope(shop.tenant.id), pytest.raises(RuntimeError):
        await departments.create_department(actor, "orphan", "Orphan")

    # then: the change rolled back with it
    connection = Tortoise.get_connection("default")
    _, rows = await connection.execute_query(
        "SELECT COUNT(*) AS n FROM department WHERE slug = 'orphan'"
    )
    assert rows[0]["n"] == 0


async def test_chains_of_tenants_are_independent(db: str) -> None:
    acme = await _shop_with_history(2)
    globex = await make_shop("globex")
    with tenant_scope(acme.tenant.id):
        await AuditEntry.filter(seq=1).update(action="forged")

    assert not (await audit.verify(acme.tenant.id)).ok
    assert (await audit.verify(globex.tenant.id)).ok


def test_cli_verify_names_the_first_broken_sequence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite://{tmp_path / 'audit.sqlite3'}")
    runner = CliRunner()
    runner.invoke(app, ["migrate"])
    runner.invoke(
        app, ["create-tenant", "--slug", "acme", "--name", "A", "--owner-email", "a@b.co"]
    )
    intact = runner.invoke(app, ["audit", "verify", "--tenant", "acme"])

    with sqlite3.connect(tmp_path / "audit.sqlite3") as raw:
        raw.execute("UPDATE audit_entry SET actor = 'forger' WHERE seq = 1")
    broken = runner.invoke(app, ["audit", "verify", "--tenant", "acme"])

    assert intact.exit_code == 0, intact.output
    assert "is intact (" in intact.output
    assert broken.exit_code == 1
    assert "broken at sequence 1: entry altered" in broken.output


class RecordingQueue:
    async def enqueue(
        self,
        name: str,
        *,
        key: str,
        tenant_id: UUID,
        payload: Mapping[str, Any],
        run: int = 0,
        defer_until: datetime | None = None,
    ) -> bool:
        return True


async def test_entries_left_unchained_by_a_dead_process_are_sealed_by_the_schedule(
    db: str,
) -> None:
    # given: two entries written and committed, but their process died before sealing them
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        await audit.seal(shop.tenant.id)
        sealed_before = await AuditEntry.filter(seq__isnull=False).count()
        for n in range(2):
            await AuditEntry.create(
                actor="user:x",
                action="test.orphan",
                target_type="thing",
                target_id=str(n),
                diff={},
                created_at=datetime.now(UTC),
            )

        # when
        await schedule.enqueue_due(RecordingQueue(), RetryPolicy())

        # then
        assert await AuditEntry.filter(seq__isnull=True).count() == 0
        report = await audit.verify(shop.tenant.id)
        assert report.ok
        assert report.entries == sealed_before + 2
