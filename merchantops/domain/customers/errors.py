"""Typed failures of the customers area, each with a stable code the API passes on."""

from __future__ import annotations

from merchantops.errors import DomainError


class CustomerErased(DomainError):
    """The customer was erased (a data-subject request): nothing of them changes any more."""

    code = "CUSTOMER_ERASED"


__all__ = ["CustomerErased"]
