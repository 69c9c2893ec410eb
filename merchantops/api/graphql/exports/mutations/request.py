from __future__ import annotations

import strawberry

from merchantops.api.graphql.approvals.types import ApprovalRequestNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.exports.types import DataExportDataset, DataExportNode
from merchantops.domain.exports import service


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
class RequestDataExportMutation:
    @strawberry.mutation(
        extensions=[requires(TenantPermission("data_export", "write"))],
        description="Export a dataset, masked for you; personal data may wait for compliance.",
    )
    async def request_data_export(
        self, info: Info, input: RequestDataExportInput
    ) -> DataExportPayload:
        principal = info.context.principal
        scopes = frozenset(str(s) for s in principal.scopes) if principal.api_key else frozenset()
        export, pending = await service.request(
            info.context.require_evaluator(),
            info.context.actor(),
            scopes,
            input.dataset.value,
        )
        return DataExportPayload(
            export=DataExportNode.from_model(export),
            approval_request=ApprovalRequestNode.from_model(pending) if pending else None,
        )


__all__ = ["DataExportPayload", "RequestDataExportInput", "RequestDataExportMutation"]
