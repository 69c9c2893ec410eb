"""A tenant's whole life: its archive holds every tenant table of it and nothing of another
tenant; its purge removes every row of it and nothing of another tenant, and a purge or an
export stopped halfway finishes when run again. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import tarfile
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from tortoise.models import Model
from tortoise.queryset import QuerySet

from merchantops import migrations
from merchantops.domain.lifecycle import archives, deletions
from merchantops.domain.lifecycle.errors import (
    ConfirmationMismatch,
    ExportUnderway,
    TenantBeingDeleted,
    TenantNotFound,
    TenantNotSuspended,
)
from merchantops.domain.lifecycle.jobs import EXPORT, PURGE, export_job, purge_job
from merchantops.domain.lifecycle.models import (
    ArchiveStatus,
    DeletionStatus,
    PlatformAuditEntry,
    TenantArchive,
    TenantDeletion,
)
from merchantops.domain.lifecycle.tables import purge_order, referenced, tenant_tables
from merchantops.tenants import admin, jobs
from merchantops.tenants.base import TenantManager, TenantModel
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.jobs import JobContext, JobFunction, RetryLater, RetryPolicy
from merchantops.tenants.models import (
    Invitation,
    LoginSession,
    Membership,
    RefreshToken,
    Tenant,
    TenantStatus,
    User,
)
from tests.factories import Shop, make_catalog, make_onboarded_shop
from tests.security.test_isolation_matrix import _seed

MIGRATIONS = Path(migrations.__file__).parent
POLICY = RetryPolicy(max_tries=5, base_seconds=0.0, timeout_seconds=3600)
_DAY = timedelta(days=1)
LAST_MIGRATION = sorted(path.stem for path in MIGRATIONS.glob("[0-9]*.py"))[-1]


class HeldQueue:
    """Keeps what is queued until the test runs it (`run_held`)."""

    def __init__(self) -> None:
        self.held: list[tuple[str, str, UUID, dict[str, Any]]] = []

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
        self.held.append((name, key, tenant_id, dict(payload)))
        return True


class Crash(Exception):
    pass


def registry(directory: Path) -> dict[str, JobFunction]:
    return {EXPORT: export_job(directory), PURGE: purge_job}


async def run_held(
    queue: HeldQueue, directory: Path, policy: RetryPolicy = POLICY, *, once: bool = False
) -> int:
    """Run every held job (and what they queue) through the job ledger; returns the tries."""
    tries = 0
    while queue.held:
        name, key, tenant_id, payload = queue.held.pop(0)
        while True:
            tries += 1
            try:
                await jobs.execute(
                    registry(directory), name, key=key, tenant_id=tenant_id,
                    payload=payload, queue=queue, policy=policy,
                )  # fmt: skip
                break
            except RetryLater:
                if once:
                    queue.held.insert(0, (name, key, tenant_id, payload))
                    return tries
    return tries


async def two_tenants() -> tuple[Shop, Shop, list[str]]:
    """Acme and globex with rows in (nearly) every tenant table; globex's telltale strings."""
    acme, _, _ = await _seed("acme")
    globex, _, markers = await _seed("globex")
    return acme, globex, markers


async def counts(tenant_id: UUID) -> dict[str, int]:
    with tenant_scope(tenant_id):
        return {model._meta.db_table: await model.all().count() for model in tenant_tables()}


async def snapshot(tenant_id: UUID) -> list[Any]:
    """Every row another tenant has, in every tenant table, and what it shares with others."""
    rows: list[Any] = [await Tenant.filter(id=tenant_id).values()]
    with tenant_scope(tenant_id):
        for model in tenant_tables():
            found = await model.all().values()
            rows.append((model._meta.db_table, sorted(map(str, found))))
        members = await Membership.all().values_list("user_id")
    rows.append(sorted(map(str, await User.filter(id__in=[m[0] for m in members]).values())))
    return rows


async def accounts() -> list[Any]:
    found: list[Any] = []
    for model in (User, LoginSession, RefreshToken):
        found.append(sorted(map(str, await model.all().values())))
    return found


async def platform_actions(slug: str) -> list[str]:
    entries = await PlatformAuditEntry.filter(tenant_slug=slug).order_by("id")
    return [entry.action for entry in entries]


async def test_purge_order_puts_each_tenant_table_before_every_table_it_refers_to(
    db: str,
) -> None:
    order = purge_order()

    assert set(order) == set(tenant_tables())
    assert len(order) >= 30
    for position, model in enumerate(order):
        later: set[type[Model]] = set(order[position + 1 :])
        assert referenced(model) & set(order) <= later, model.__name__


# --- export ---------------------------------------------------------------------------------


def read_archive(path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    with tarfile.open(path, "r:gz") as tar:
        files = {}
        for member in tar.getmembers():
            extracted = tar.extractfile(member)
            assert extracted is not None
            files[member.name] = extracted.read()
    return json.loads(files.pop("manifest.json")), files


async def test_archive_holds_every_tenant_table_of_the_tenant_and_nothing_of_another(
    db: str, tmp_path: Path
) -> None:
    # given: two tenants with rows in nearly every tenant table
    acme, globex, globex_markers = await two_tenants()
    queue = HeldQueue()

    # when
    archive = await archives.request_export("acme", queue, POLICY)
    expected = await counts(acme.tenant.id)  # with the request's audit entry and job record
    await run_held(queue, tmp_path)

    # then: one file, as recorded
    done = await TenantArchive.get(id=archive.id)
    assert done.status is ArchiveStatus.DONE
    assert done.file_name is not None
    path = tmp_path / done.file_name
    assert os.listdir(tmp_path) == [done.file_name]  # the staging folder is gone
    assert path.stat().st_size == done.size_bytes
    assert hashlib.sha256(path.read_bytes()).hexdigest() == done.sha256
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    manifest, files = read_archive(path)

    # every tenant table is there, with the tenant's row count, one JSON object a line
    tables = {entry["table"]: entry for entry in manifest["tables"]}
    assert set(tables) == set(expected)
    assert sum(1 for rows in expected.values() if rows) >= 25  # the seed reaches most tables
    for table, rows in expected.items():
        lines = files[f"tables/{table}.jsonl"].decode().splitlines()
        assert tables[table]["rows"] == len(lines) == rows, table
        parsed = [json.loads(line) for line in lines]
        assert all(row["tenant_id"] == str(acme.tenant.id) for row in parsed), table
        assert all(set(row) == set(tables[table]["columns"]) for row in parsed), table
        assert len({row[tables[table]["primary_key"]] for row in parsed}) == rows, table
    assert done.progress_done == done.progress_total == sum(expected.values()) + 2

    # the members' accounts, and the manifest's facts
    accounts_file = files["related/user_account.jsonl"].decode().splitlines()
    assert sorted(json.loads(line)["email"] for line in accounts_file) == [
        "clerk@acme.example.com",
        "owner@acme.example.com",
    ]
    assert "password_hash" not in accounts_file[0]
    assert manifest["tenant"]["slug"] == "acme"
    assert manifest["masked"] is False
    assert manifest["schema"]["migration"] == LAST_MIGRATION
    assert manifest["created_at"] >= manifest["requested_at"]
    positions = [entry["table"] for entry in manifest["tables"]]
    assert positions.index("purchase_order") < positions.index("purchase_order_line")

    # nothing of globex anywhere in it
    blob = b"".join(files.values())
    leaked = [marker for marker in globex_markers if marker.encode() in blob]
    assert leaked == []
    assert await platform_actions("acme") == ["tenant.export_requested", "tenant.exported"]
    assert globex.tenant.id != acme.tenant.id


async def test_export_stopped_halfway_resumes_after_its_last_written_batch(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: small batches, and a first try that dies after its fourth batch
    acme, _, _ = await two_tenants()
    monkeypatch.setattr(archives, "EXPORT_BATCH", 2)
    batches = 0
    original = JobContext.progress

    async def dies_once(self: JobContext, done: int, total: int | None = None) -> None:
        nonlocal batches
        batches += 1
        if batches == 4:
            raise Crash("killed")
        await original(self, done, total)

    monkeypatch.setattr(JobContext, "progress", dies_once)
    queue = HeldQueue()
    archive = await archives.request_export("acme", queue, POLICY)
    expected = await counts(acme.tenant.id)

    # when: the first try dies, the job ledger tries again
    await run_held(queue, tmp_path, once=True)
    halfway = await TenantArchive.get(id=archive.id)
    tries = await run_held(queue, tmp_path)

    # then: the second try went on from the saved position, and no row is there twice
    assert halfway.status is ArchiveStatus.RUNNING
    assert halfway.progress_done == sum(entry["rows"] for entry in halfway.tables.values())
    assert 0 < halfway.progress_done < sum(expected.values())
    assert tries == 1
    done = await TenantArchive.get(id=archive.id)
    assert done.status is ArchiveStatus.DONE
    assert done.file_name is not None
    _, files = read_archive(tmp_path / done.file_name)
    for table, rows in expected.items():
        lines = files[f"tables/{table}.jsonl"].decode().splitlines()
        assert len(lines) == len(set(lines)) == rows, table


async def test_export_in_time_slices_queues_the_next_slice_until_done(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a job timeout of zero, so every slice ends after one batch
    acme = await make_onboarded_shop("acme")
    await make_catalog(acme)
    monkeypatch.setattr(archives, "EXPORT_BATCH", 50)
    queue = HeldQueue()

    # when
    archive = await archives.request_export("acme", queue, POLICY)
    tries = await run_held(queue, tmp_path, RetryPolicy(base_seconds=0.0, timeout_seconds=0))

    # then
    done = await TenantArchive.get(id=archive.id)
    assert done.status is ArchiveStatus.DONE
    assert tries > 2
    assert done.progress_done == done.progress_total


# --- delete ---------------------------------------------------------------------------------


async def suspended(slug: str) -> None:
    await admin.set_tenant_status(slug, TenantStatus.SUSPENDED)


async def test_purge_deletes_every_row_of_the_tenant_and_nothing_of_another_tenant(
    db: str, tmp_path: Path
) -> None:
    # given: two tenants with rows in nearly every tenant table, one suspended
    acme, globex, _ = await two_tenants()
    others = await snapshot(globex.tenant.id)
    shared = await accounts()
    await suspended("acme")
    queue = HeldQueue()

    # when
    deletion = await deletions.request_deletion("acme", "acme", queue, POLICY)
    before = await counts(acme.tenant.id)  # with the purge's own job record
    await run_held(queue, tmp_path)

    # then: nothing of acme is left, every row of globex is as it was, users stay
    assert set((await counts(acme.tenant.id)).values()) == {0}
    assert not await Tenant.exists(id=acme.tenant.id)
    assert await snapshot(globex.tenant.id) == others
    assert await accounts() == shared
    done = await TenantDeletion.get(id=deletion.id)
    assert done.status is DeletionStatus.DONE
    assert done.rows_deleted == sum(before.values())
    assert {t: n for t, n in done.tables.items() if n} == {t: n for t, n in before.items() if n}
    assert await platform_actions("acme") == ["tenant.delete_requested", "tenant.deleted"]


@pytest.mark.postgres
@pytest.mark.parametrize("db", ["postgres"], indirect=True)
async def test_row_level_security_alone_keeps_the_purge_to_its_tenant(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the managers' tenant filter switched off (as the isolation backstop does)
    acme, globex, _ = await two_tenants()
    others = await snapshot(globex.tenant.id)
    await suspended("acme")
    queue = HeldQueue()
    await deletions.request_deletion("acme", "acme", queue, POLICY)

    # when
    with monkeypatch.context() as patch:
        patch.setattr(TenantManager, "get_queryset", lambda self: QuerySet(self._model))
        patch.setattr(TenantModel, "_check_tenant", lambda self: None)
        await run_held(queue, tmp_path)

    # then: PostgreSQL admitted acme's rows alone to every statement of the purge
    assert set((await counts(acme.tenant.id)).values()) == {0}
    assert await snapshot(globex.tenant.id) == others


async def test_purge_killed_after_some_batches_finishes_when_the_ledger_runs_it_again(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a purge of one row a batch whose first try dies after its fifth batch
    acme, globex, _ = await two_tenants()
    others = await snapshot(globex.tenant.id)
    await suspended("acme")
    monkeypatch.setattr(deletions, "PURGE_BATCH", 1)
    batches = 0
    original = JobContext.progress

    async def dies_once(self: JobContext, done: int, total: int | None = None) -> None:
        nonlocal batches
        batches += 1
        if batches == 5:
            raise Crash("killed")
        await original(self, done, total)

    monkeypatch.setattr(JobContext, "progress", dies_once)
    queue = HeldQueue()
    deletion = await deletions.request_deletion("acme", "acme", queue, POLICY)
    before = sum((await counts(acme.tenant.id)).values())

    # when: the first try dies halfway
    await run_held(queue, tmp_path, once=True)
    halfway = await TenantDeletion.get(id=deletion.id)
    left = sum((await counts(acme.tenant.id)).values())

    # then: five rows are gone, counted, and the rest waits
    assert halfway.status is DeletionStatus.PURGING
    assert halfway.rows_deleted == 5
    assert left == before - 5
    assert await Tenant.exists(id=acme.tenant.id)
    assert await snapshot(globex.tenant.id) == others

    # when: the ledger tries again
    await run_held(queue, tmp_path)

    # then: it finished the work, counted each row once, and touched nothing of globex
    done = await TenantDeletion.get(id=deletion.id)
    assert done.status is DeletionStatus.DONE
    assert done.rows_deleted == before
    assert set((await counts(acme.tenant.id)).values()) == {0}
    assert not await Tenant.exists(id=acme.tenant.id)
    assert await snapshot(globex.tenant.id) == others


async def test_purge_cancelled_in_the_middle_finishes_when_run_again(db: str) -> None:
    # given: a purge, cancelled while it waits after its third batch
    acme, globex, _ = await two_tenants()
    others = await snapshot(globex.tenant.id)
    await suspended("acme")
    deletion = await deletions.request_deletion("acme", "acme", HeldQueue(), POLICY)
    third = asyncio.Event()
    batches = 0

    async def stalls_after_three(done: int, total: int | None) -> None:
        nonlocal batches
        batches += 1
        if batches == 3:
            third.set()
            await asyncio.Event().wait()

    task = asyncio.create_task(
        deletions.purge(deletion.id, own_job_key=None, progress=stalls_after_three, batch_size=2)
    )
    await third.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    # when
    async def ignore(done: int, total: int | None) -> None:
        return None

    finished = await deletions.purge(deletion.id, own_job_key=None, progress=ignore, batch_size=7)

    # then
    assert finished
    assert set((await counts(acme.tenant.id)).values()) == {0}
    assert (await TenantDeletion.get(id=deletion.id)).status is DeletionStatus.DONE
    assert await snapshot(globex.tenant.id) == others


async def test_purge_in_time_slices_queues_the_next_slice_until_done(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a job timeout of zero, so every slice ends after one full batch
    acme = await make_onboarded_shop("acme")
    catalog = await make_catalog(acme)
    with_stock = await make_onboarded_shop("globex")
    others = await snapshot(with_stock.tenant.id)
    monkeypatch.setattr(deletions, "PURGE_BATCH", 20)
    await suspended("acme")
    queue = HeldQueue()

    # when
    deletion = await deletions.request_deletion("acme", "acme", queue, POLICY)
    tries = await run_held(queue, tmp_path, RetryPolicy(base_seconds=0.0, timeout_seconds=0))

    # then
    assert tries > 2
    assert (await TenantDeletion.get(id=deletion.id)).status is DeletionStatus.DONE
    assert not await Tenant.exists(id=acme.tenant.id)
    assert set((await counts(acme.tenant.id)).values()) == {0}
    assert await snapshot(with_stock.tenant.id) == others
    assert catalog.skus


async def test_deleting_withdraws_pending_invitations_into_that_tenant_only(
    db: str, tmp_path: Path
) -> None:
    # given: an owner invited into acme alone, and a member of acme and globex with one too
    acme = await admin.create_tenant("acme", "Acme", "new@example.com", invitation_ttl=_DAY)
    globex = await admin.create_tenant("globex", "Globex", "both@example.com", invitation_ttl=_DAY)
    await admin.add_member(acme.tenant, globex.owner, [])
    await suspended("acme")
    queue = HeldQueue()

    # when
    await deletions.request_deletion("acme", "acme", queue, POLICY)
    await run_held(queue, tmp_path)

    # then: both users stay; only the invitation that led into acme alone is gone
    assert await User.filter(email__in=["new@example.com", "both@example.com"]).count() == 2
    assert not await Invitation.exists(user_id=acme.owner.id)
    assert await Invitation.exists(user_id=globex.owner.id)
    with tenant_scope(globex.tenant.id):
        assert await Membership.filter(user_id=globex.owner.id).count() == 1


async def test_deletion_asked_again_while_under_way_answers_the_same_deletion(db: str) -> None:
    await make_onboarded_shop("acme")
    await suspended("acme")
    queue = HeldQueue()

    first = await deletions.request_deletion("acme", "acme", queue, POLICY)
    again = await deletions.request_deletion("acme", " ACME ", queue, POLICY)

    assert again.id == first.id
    assert len(queue.held) == 1


async def test_a_failed_purge_goes_on_when_deletion_is_asked_again(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a purge whose every try fails until the ledger gives up
    acme = await make_onboarded_shop("acme")
    await make_catalog(acme)
    await suspended("acme")
    queue = HeldQueue()
    deletion = await deletions.request_deletion("acme", "acme", queue, POLICY)

    async def always_fails(self: JobContext, done: int, total: int | None = None) -> None:
        raise Crash("disk on fire")

    with monkeypatch.context() as patch:
        patch.setattr(JobContext, "progress", always_fails)
        await run_held(queue, tmp_path, RetryPolicy(max_tries=2, base_seconds=0.0))
    failed = await TenantDeletion.get(id=deletion.id)

    # when
    again = await deletions.request_deletion("acme", "acme", queue, POLICY)
    await run_held(queue, tmp_path)

    # then
    assert failed.status is DeletionStatus.FAILED
    assert "disk on fire" in str(failed.error)
    assert again.id == deletion.id
    assert (await TenantDeletion.get(id=deletion.id)).status is DeletionStatus.DONE
    assert not await Tenant.exists(id=acme.tenant.id)
    assert await platform_actions("acme") == [
        "tenant.delete_requested",
        "tenant.delete_failed",
        "tenant.delete_resumed",
        "tenant.deleted",
    ]


async def test_refusals_name_their_reason(db: str) -> None:
    acme = await make_onboarded_shop("acme")
    queue = HeldQueue()

    with pytest.raises(TenantNotFound):
        await deletions.request_deletion("nobody", "nobody", queue, POLICY)
    with pytest.raises(TenantNotFound):
        await archives.request_export("nobody", queue, POLICY)
    with pytest.raises(ConfirmationMismatch):
        await deletions.request_deletion("acme", "acme-shop", queue, POLICY)
    with pytest.raises(TenantNotSuspended):
        await deletions.request_deletion("acme", "acme", queue, POLICY)

    await suspended("acme")
    await archives.request_export("acme", queue, POLICY)  # held: not written yet
    with pytest.raises(ExportUnderway):
        await deletions.request_deletion("acme", "acme", queue, POLICY)

    await TenantArchive.all().update(status=ArchiveStatus.DONE)
    await deletions.request_deletion("acme", "acme", queue, POLICY)
    with pytest.raises(TenantBeingDeleted):
        await archives.request_export("acme", queue, POLICY)
    assert await Tenant.exists(id=acme.tenant.id)
    assert await TenantDeletion.all().count() == 1
