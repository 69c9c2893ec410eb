from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from merchantops.domain.exports import models
from merchantops.tenants.context import current_actor

ExportStatus = models.ExportStatus
strawberry.enum(ExportStatus, name="DataExportStatus")


@strawberry.enum
class DataExportDataset(Enum):
    SUPPLIER_CONTACTS = "supplier_contacts"
    MEMBERS = "members"
    SKUS = "skus"


@strawberry.type(name="DataExport")
class DataExportNode(relay.Node):
    id: relay.NodeID[str]
    dataset: str
    classification: str = strawberry.field(description="The most sensitive field it carries.")
    status: ExportStatus
    requested_by: str
    row_count: int | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    rows_value: strawberry.Private[list[dict[str, object]]]

    @strawberry.field(
        description="The rows, masked for the requester; only the requester sees them."
    )
    def rows(self) -> JSON | None:
        if self.requested_by != current_actor() or self.status is not ExportStatus.DONE:
            return None
        rows: Any = self.rows_value
        return rows  # type: ignore[no-any-return]

    @classmethod
    def from_model(cls, export: models.DataExport) -> Self:
        return cls(
            id=str(export.id),
            dataset=export.dataset,
            classification=export.classification,
            status=export.status,
            requested_by=export.requested_by,
            row_count=export.row_count,
            error=export.error,
            created_at=export.created_at,
            finished_at=export.finished_at,
            rows_value=list(export.rows),
        )


__all__ = ["DataExportDataset", "DataExportNode", "ExportStatus"]
