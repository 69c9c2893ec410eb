"""Data exports: masked for the requester, held for approval when the rules say so."""

from __future__ import annotations

from merchantops.api.graphql.exports.mutations import DataExportMutation as Mutation
from merchantops.api.graphql.exports.queries import DataExportQuery as Query

__all__ = ["Mutation", "Query"]
