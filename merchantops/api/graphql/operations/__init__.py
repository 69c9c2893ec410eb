"""Operations, for platform admins: the system's health in one query (`systemHealth`)."""

from __future__ import annotations

from merchantops.api.graphql.operations.queries import OperationsQuery as Query

__all__ = ["Query"]
