"""The catalogue of permissions: an object (what) and an action (read, write, approve).

Roles are granted catalogue entries, API keys carry them as scopes (`order:read`), and every
GraphQL operation declares the one it needs. `*` stands for every object or every action.
"""

from __future__ import annotations

from dataclasses import dataclass

from merchantops.errors import InvalidInput

WILDCARD = "*"
READ, WRITE, APPROVE = "read", "write", "approve"

CATALOGUE: dict[str, tuple[str, ...]] = {
    # governance core
    "tenant": (READ, WRITE),
    "member": (READ, WRITE),
    "department": (READ, WRITE),
    "role": (READ, WRITE),
    "api_key": (READ, WRITE),
    "audit_log": (READ,),
    "webhook": (READ, WRITE),
    "job": (READ, WRITE),
    # business areas
    "rule_set": (READ, WRITE, APPROVE),
    "risk_alert": (READ, WRITE),
    "approval": (READ, WRITE),
    "data_export": (READ, WRITE, APPROVE),
    "product": (READ, WRITE, APPROVE),
    "supplier": (READ, WRITE),
    "purchase_order": (READ, WRITE, APPROVE),
    "inventory": (READ, WRITE),
    "customer": (READ, WRITE),
    "order": (READ, WRITE, APPROVE),
    "ticket": (READ, WRITE, APPROVE),
    "knowledge": (READ, WRITE),
    "campaign": (READ, WRITE, APPROVE),
    "project": (READ, WRITE, APPROVE),
    "calendar": (READ, WRITE),
}
ACTIONS = (READ, WRITE, APPROVE)


@dataclass(frozen=True, order=True, slots=True)
class Permission:
    obj: str
    action: str

    def __str__(self) -> str:
        return f"{self.obj}:{self.action}"

    @classmethod
    def parse(cls, text: str, field: str = "scopes") -> Permission:
        obj, sep, action = text.strip().partition(":")
        if not sep:
            raise InvalidInput(f"'{text}' is not of the form object:action.", field=field)
        return cls.checked(obj, action, field)

    @classmethod
    def checked(cls, obj: str, action: str, field: str = "permissions") -> Permission:
        if obj != WILDCARD and obj not in CATALOGUE:
            known = ", ".join(sorted(CATALOGUE))
            raise InvalidInput(f"Unknown object '{obj}'; known: {known}, *.", field=field)
        allowed = ACTIONS if obj == WILDCARD else CATALOGUE[obj]
        if action != WILDCARD and action not in allowed:
            raise InvalidInput(
                f"'{obj}' has no action '{action}'; it has: {', '.join(allowed)}, *.", field=field
            )
        return cls(obj, action)

    def covers(self, obj: str, action: str) -> bool:
        return self.obj in (WILDCARD, obj) and self.action in (WILDCARD, action)


__all__ = ["ACTIONS", "APPROVE", "CATALOGUE", "READ", "WILDCARD", "WRITE", "Permission"]
