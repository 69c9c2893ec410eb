"""Typed failures of the catalogue, each with a stable code the API passes on."""

from __future__ import annotations

from merchantops.errors import DomainError


class InvalidTransition(DomainError):
    """A change the current state does not allow: a stage a product cannot move to, a step of a
    purchase order out of turn (purchasing raises it too)."""

    code = "INVALID_TRANSITION"


__all__ = ["InvalidTransition"]
