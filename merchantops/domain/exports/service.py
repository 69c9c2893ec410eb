"""Exports: governed by compliance when they carry personal data, masked for their requester.

    export, pending = await exports.request(evaluator, actor, scopes, "supplier_contacts")

The dataset's highest classification goes to compliance as `export.classification` (the
template holds personal-data exports for the compliance officer). A queued export emits
`data_export.queued`; the event job builds its rows, each classified field masked by the
tenant's masking table for the roles and scopes the requester held when asking. Only the
requester reads the rows, so the requester's own record is not masked for them
(`rules.masking.Reader`): a row about a user names that user in its dataset's `subject` key,
which is not exported.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from tortoise.models import Model
from tortoise.transactions import in_transaction

from merchantops.domain.catalog.models import Product, Sku
from merchantops.domain.exports.models import DataExport, ExportStatus
from merchantops.domain.governance import approvals
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.governance.models import ApprovalRequest
from merchantops.domain.suppliers.models import Supplier, SupplierContact
from merchantops.errors import InvalidInput
from merchantops.rules.evaluation import MaskingPolicies, RuleEvaluator
from merchantops.rules.masking import (
    Classification,
    MaskingTable,
    Reader,
    classification_of,
    entity_of,
    mask,
)
from merchantops.tenants import audit, outbox
from merchantops.tenants.context import current_actor, current_tenant_id
from merchantops.tenants.jobs import JobContext, JobFunction
from merchantops.tenants.models import Membership, OutboxEvent, User
from merchantops.tenants.principal import actor_user_id

CREATE = "data_export.create"
MAX_ROWS = 10_000
LEVELS = list(Classification)


@dataclass(frozen=True, slots=True)
class Dataset:
    """Rows of plain values; `columns` maps each column to the model field it comes from, and
    `subject` names the row key (not exported) holding the id of the user a row is about."""

    columns: dict[str, tuple[type[Model], str]]
    fetch: Callable[[], Awaitable[list[dict[str, Any]]]]
    subject: str | None = None

    def classification(self) -> Classification:
        return max(
            (
                classification_of(model, field, Classification.INTERNAL)
                for model, field in self.columns.values()
            ),
            key=LEVELS.index,
        )


async def _supplier_contacts() -> list[dict[str, Any]]:
    codes = {s.id: s.code for s in await Supplier.all().only("id", "code")}
    return [
        {
            "supplier": codes.get(c.supplier_id, ""),
            "full_name": c.full_name,
            "title": c.title,
            "email": c.email,
            "phone": c.phone,
        }
        for c in await SupplierContact.all().order_by("supplier_id", "full_name").limit(MAX_ROWS)
    ]


async def _members() -> list[dict[str, Any]]:
    user_ids = [m.user_id for m in await Membership.all().limit(MAX_ROWS)]
    users = await User.filter(id__in=user_ids).order_by("email")
    return [{"user": u.id, "email": u.email, "full_name": u.full_name} for u in users]


async def _skus() -> list[dict[str, Any]]:
    names = {p.id: (p.name, p.stage.value) for p in await Product.all()}
    return [
        {
            "code": s.code,
            "name": s.name,
            "product": names[s.product_id][0],
            "stage": names[s.product_id][1],
            "price": str(s.price),
            "cost": str(s.cost),
        }
        for s in await Sku.all().order_by("code").limit(MAX_ROWS)
    ]


DATASETS: dict[str, Dataset] = {
    "supplier_contacts": Dataset(
        {
            "supplier": (Supplier, "code"),
            "full_name": (SupplierContact, "full_name"),
            "title": (SupplierContact, "title"),
            "email": (SupplierContact, "email"),
            "phone": (SupplierContact, "phone"),
        },
        _supplier_contacts,
    ),
    "members": Dataset(
        {"email": (User, "email"), "full_name": (User, "full_name")}, _members, subject="user"
    ),
    "skus": Dataset(
        {
            "code": (Sku, "code"),
            "name": (Sku, "name"),
            "product": (Product, "name"),
            "stage": (Product, "stage"),
            "price": (Sku, "price"),
            "cost": (Sku, "cost"),
        },
        _skus,
    ),
}


async def request(
    evaluator: RuleEvaluator, actor: Actor, scopes: frozenset[str], dataset: str
) -> tuple[DataExport, ApprovalRequest | None]:
    """Ask for an export; it is queued, or waits for the approval compliance requires."""
    chosen = DATASETS.get(dataset)
    if chosen is None:
        raise InvalidInput(
            f"Unknown dataset; one of: {', '.join(sorted(DATASETS))}.", field="dataset"
        )
    classification = chosen.classification()
    async with in_transaction():
        export = await DataExport.create(
            dataset=dataset,
            classification=classification.value,
            status=ExportStatus.QUEUED,
            requested_by=current_actor()[:100],
            roles=sorted(actor.roles),
            scopes=sorted(scopes),
        )
        pending = await approvals.governed(
            evaluator,
            actor,
            CREATE,
            {"export": {"dataset": dataset, "classification": classification.value}},
            subject=("data_export", export.id),
        )
        await audit.record(
            "data_export.requested",
            "data_export",
            export.id,
            after={"dataset": dataset, "classification": classification.value},
        )
        if pending is not None:
            export.status, export.approval_id = ExportStatus.AWAITING_APPROVAL, pending.id
            await export.save(update_fields=["status", "approval_id"])
        else:
            await _queue(export)
    return export, pending


async def approved(request: ApprovalRequest, evaluator: RuleEvaluator, actor: Actor) -> None:
    export = await DataExport.select_for_update().get(id=request.subject_id)
    if export.status is ExportStatus.AWAITING_APPROVAL:
        export.status = ExportStatus.QUEUED
        await export.save(update_fields=["status"])
        await _queue(export)


async def rejected(request: ApprovalRequest, evaluator: RuleEvaluator, actor: Actor) -> None:
    await DataExport.filter(id=request.subject_id).update(
        status=ExportStatus.REJECTED, finished_at=datetime.now(UTC)
    )


async def _queue(export: DataExport) -> None:
    await outbox.emit("data_export.queued", {"id": str(export.id), "dataset": export.dataset})


async def run(export_id: UUID, masking: MaskingPolicies) -> DataExport | None:
    """Build a queued export's rows, masked for its requester. Idempotent: done stays done."""
    async with in_transaction():
        export = await DataExport.select_for_update().get_or_none(id=export_id)
        if export is None or export.status is not ExportStatus.QUEUED:
            return export
        dataset = DATASETS[export.dataset]
        table = await masking.table(current_tenant_id())
        requester = Reader(
            frozenset(export.roles), frozenset(export.scopes), actor_user_id(export.requested_by)
        )
        rows = [_masked(row, dataset, table, requester) for row in await dataset.fetch()]
        export.rows, export.row_count = rows, len(rows)
        export.status, export.finished_at = ExportStatus.DONE, datetime.now(UTC)
        await export.save(update_fields=["rows", "row_count", "status", "finished_at"])
    return export


def _masked(
    row: dict[str, Any], dataset: Dataset, table: MaskingTable, requester: Reader
) -> dict[str, Any]:
    subject = row.get(dataset.subject) if dataset.subject else None
    return {
        column: mask(
            table.decide(
                classification_of(model, field, Classification.INTERNAL),
                requester,
                entity=entity_of(model),
                subject=subject,
            ),
            row[column],
        )
        for column, (model, field) in dataset.columns.items()
    }


def export_job(masking: MaskingPolicies) -> JobFunction:
    """The step of the event job that runs exports queued by `data_export.queued` events."""

    async def on_event(ctx: JobContext, payload: dict[str, Any]) -> None:
        event = await OutboxEvent.get_or_none(id=payload["event_id"])
        if event is not None and event.type == "data_export.queued":
            await run(UUID(str(event.payload["id"])), masking)

    return on_event


__all__ = [
    "CREATE",
    "DATASETS",
    "MAX_ROWS",
    "Dataset",
    "approved",
    "export_job",
    "rejected",
    "request",
    "run",
]
