from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from merchantops.api.graphql.approvals.types import ApprovalRequestNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError, user_errors
from merchantops.api.graphql.core.pagination import Connection, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.domain.exports import models, service
from merchantops.errors import DomainError
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


@strawberry.input
class RequestDataExportInput:
    dataset: DataExportDataset


@strawberry.type
class DataExportPayload:
    export: DataExportNode | None = None
    approval_request: ApprovalRequestNode | None = strawberry.field(
        default=None, description="Set when compliance holds the export for an approval."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DataExportQuery:
    @strawberry.field(
        extensions=[requires(TenantPermission("data_export", "read"))],
        description="Exports, newest first.",
    )
    async def data_exports(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[DataExportNode]:
        return await paginate(
            info,
            models.DataExport.all().order_by("-created_at", "-id"),
            first=first,
            after=after,
            last=last,
            before=before,
            to_node=DataExportNode.from_model,
        )


@strawberry.type
class DataExportMutation:
    @strawberry.mutation(
        extensions=[requires(TenantPermission("data_export", "write"))],
        description="Export a dataset, masked for you; personal data may wait for compliance.",
    )
    async def request_data_export(
        self, info: Info, input: RequestDataExportInput
    ) -> DataExportPayload:
        principal = info.context.principal
        scopes = frozenset(str(s) for s in principal.scopes) if principal.api_key else frozenset()
        try:
            export, pending = await service.request(
                info.context.require_evaluator(),
                info.context.actor(),
                scopes,
                input.dataset.value,
            )
        except DomainError as error:
            return DataExportPayload(errors=user_errors(error))
        return DataExportPayload(
            export=DataExportNode.from_model(export),
            approval_request=ApprovalRequestNode.from_model(pending) if pending else None,
        )


__all__ = ["DataExportMutation", "DataExportQuery"]
