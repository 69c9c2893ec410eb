"""The default organisation every new tenant starts from, after the standard's chapter 1.

An operations director stands above the department managers, each manager above their staff.
The owner may do everything, the admin runs the organisation and integrations, the auditor
reads everything (the audit log included) and changes nothing, the compliance officer keeps the
rule sets and approves data exports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from merchantops.tenants.permissions import APPROVE, READ, WILDCARD, WRITE


@dataclass(frozen=True)
class RoleTemplate:
    slug: str
    name: str
    department: str | None = None
    permissions: tuple[tuple[str, str], ...] = ()
    inherits: tuple[str, ...] = ()


@dataclass(frozen=True)
class DepartmentTemplate:
    slug: str
    name: str
    staff: tuple[tuple[str, str], ...]
    managers: tuple[tuple[str, str], ...] = field(default=())


def _rw(*objects: str) -> tuple[tuple[str, str], ...]:
    return tuple((obj, action) for obj in objects for action in (READ, WRITE))


def _r(*objects: str) -> tuple[tuple[str, str], ...]:
    return tuple((obj, READ) for obj in objects)


DEPARTMENTS = (
    DepartmentTemplate(
        "marketing",
        "Marketing",
        staff=_rw("campaign") + _r("customer", "product", "order", "knowledge"),
        managers=(("campaign", APPROVE),),
    ),
    DepartmentTemplate(
        "technology",
        "Technology",
        staff=_r("api_key", "rule_set", "product", "webhook", "job", "knowledge"),
        managers=_rw("api_key", "webhook", "job"),
    ),
    DepartmentTemplate(
        "customer-service",
        "Customer Service",
        staff=_rw("ticket", "customer", "order", "knowledge") + _r("product"),  # returns, refunds
        managers=(("ticket", APPROVE),),
    ),
    DepartmentTemplate(
        "finance",
        "Finance",
        staff=_r("purchase_order", "order", "supplier", "campaign", "knowledge"),
        managers=(("purchase_order", APPROVE), ("order", APPROVE)),
    ),
    DepartmentTemplate(
        "compliance",
        "Compliance",
        staff=_r("rule_set", "risk_alert", "audit_log", "data_export", "knowledge"),
        managers=(*_rw("rule_set", "risk_alert"), ("rule_set", APPROVE), ("data_export", APPROVE)),
    ),
    DepartmentTemplate(
        "supply-chain",
        "Supply Chain",
        staff=_rw("supplier", "purchase_order", "product") + _r("inventory", "knowledge"),
        managers=(("product", APPROVE),),
    ),
    DepartmentTemplate(
        "warehouse",
        "Warehouse",
        staff=_rw("inventory", "order")
        + _r("product", "purchase_order", "supplier", "knowledge"),  # ships
    ),
)

OWNER = "owner"
ADMIN = "admin"
AUDITOR = "auditor"
OPERATIONS_DIRECTOR = "operations-director"
COMPLIANCE_OFFICER = "compliance-officer"


def staff_role(department: str) -> str:
    return f"{department}-staff"


def manager_role(department: str) -> str:
    return f"{department}-manager"


def default_roles() -> list[RoleTemplate]:
    org_read = _r("tenant", "member", "department", "role")
    roles = [
        RoleTemplate(OWNER, "Owner", permissions=((WILDCARD, WILDCARD),)),
        RoleTemplate(
            ADMIN,
            "Administrator",
            permissions=_rw(
                "tenant", "member", "department", "role", "api_key", "webhook", "job", "calendar"
            )
            + _r("audit_log"),
        ),
        RoleTemplate(AUDITOR, "Auditor", permissions=((WILDCARD, READ),)),
        RoleTemplate(
            COMPLIANCE_OFFICER,
            "Compliance Officer",
            department="compliance",
            permissions=(*org_read, ("data_export", APPROVE)),
            inherits=(manager_role("compliance"),),
        ),
    ]
    for department in DEPARTMENTS:
        roles.append(
            RoleTemplate(
                staff_role(department.slug),
                f"{department.name} Staff",
                department=department.slug,
                permissions=department.staff + _r("tenant", "department", "approval", "calendar"),
            )
        )
        roles.append(
            RoleTemplate(
                manager_role(department.slug),
                f"{department.name} Manager",
                department=department.slug,
                permissions=department.managers
                + _r("member", "role")
                + _rw("approval", "data_export"),
                inherits=(staff_role(department.slug),),
            )
        )
    roles.append(
        RoleTemplate(
            OPERATIONS_DIRECTOR,
            "Operations Director",
            permissions=org_read + _r("audit_log"),
            inherits=tuple(manager_role(department.slug) for department in DEPARTMENTS),
        )
    )
    return roles


__all__ = [
    "ADMIN",
    "AUDITOR",
    "COMPLIANCE_OFFICER",
    "DEPARTMENTS",
    "OPERATIONS_DIRECTOR",
    "OWNER",
    "RoleTemplate",
    "default_roles",
    "manager_role",
    "staff_role",
]
