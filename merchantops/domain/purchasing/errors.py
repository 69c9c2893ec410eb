"""Typed failures of the purchasing area, each with a stable code the API passes on."""

from __future__ import annotations

from merchantops.errors import DomainError


class InvalidTransition(DomainError):
    """The order's status does not allow the step (receiving a draft, closing a cancelled one)."""

    code = "INVALID_TRANSITION"


class AwaitingApproval(DomainError):
    """The order waits for an approval decision; no other step until it is decided."""

    code = "AWAITING_APPROVAL"


__all__ = ["AwaitingApproval", "InvalidTransition"]
