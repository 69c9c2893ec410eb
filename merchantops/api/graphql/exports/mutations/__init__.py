from __future__ import annotations

import strawberry

from merchantops.api.graphql.exports.mutations.request import RequestDataExportMutation


@strawberry.type
class DataExportMutation(RequestDataExportMutation):
    pass


__all__ = ["DataExportMutation"]
