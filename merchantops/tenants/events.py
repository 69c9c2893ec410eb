"""The platform kernel's events partners may subscribe to: members, roles, departments, keys."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "member.added",
    "member.removed",
    "role.changed",
    "api_key.created",
    "api_key.revoked",
    "department.created",
)

__all__ = ["EVENTS"]
