"""Purchasing's mutations, in the order the schema lists them: create, submit, approve,
receive, close, cancel."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.purchasing.mutations.create import CreateMutation
from merchantops.api.graphql.purchasing.mutations.receive import ReceiveMutation
from merchantops.api.graphql.purchasing.mutations.transitions import (
    FinishMutation,
    GovernedMutation,
)


@strawberry.type
class PurchaseOrderMutation(CreateMutation, GovernedMutation, ReceiveMutation, FinishMutation):
    pass


__all__ = ["PurchaseOrderMutation"]
