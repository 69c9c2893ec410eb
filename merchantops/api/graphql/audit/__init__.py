"""The audit trail: paging and filtering entries, verifying the hash chain."""

from __future__ import annotations

from merchantops.api.graphql.audit.queries import AuditQuery as Query

__all__ = ["Query"]
