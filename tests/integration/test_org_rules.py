"""The organisation rules: default template, no granting beyond one's rights, one owner kept."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import timedelta
from typing import TypeVar

import pytest

from merchantops.errors import InvalidInput, PermissionDenied
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.errors import LastOwner
from merchantops.tenants.models import Department, Membership, Role
from merchantops.tenants.org import members, roles
from merchantops.tenants.permissions import Permission
from merchantops.tenants.rbac import load_policy, role_subject
from merchantops.tenants.templates import DEPARTMENTS
from tests.factories import Shop, add_member, make_shop, principal

T = TypeVar("T")

TTL = timedelta(days=1)


async def in_shop(shop: Shop, call: Awaitable[T]) -> T:
    """Run a service call the way a request does: inside the shop's tenant scope."""
    with tenant_scope(shop.tenant.id):
        return await call


async def test_new_tenant_gets_the_default_departments_and_roles(db: str) -> None:
    shop = await make_shop("acme")

    with tenant_scope(shop.tenant.id):
        departments = {str(s) for s in await Department.all().values_list("slug", flat=True)}
        roles = {str(s) for s in await Role.all().values_list("slug", flat=True)}

    assert departments == {
        "marketing", "technology", "customer-service", "finance",
        "compliance", "supply-chain", "warehouse",
    }  # fmt: skip
    assert {"owner", "admin", "auditor", "operations-director", "compliance-officer"} <= roles
    assert {f"{d.slug}-manager" for d in DEPARTMENTS} <= roles


async def test_director_inherits_every_manager_who_inherits_their_staff(db: str) -> None:
    shop = await make_shop("acme")
    policy = await load_policy(shop.tenant.id)
    director = role_subject("operations-director")

    assert policy.allows(director, "ticket", "approve")  # customer-service manager's
    assert policy.allows(director, "inventory", "write")  # warehouse staff's, two levels down
    assert not policy.allows(director, "role", "write")
    assert not policy.allows(role_subject("warehouse-staff"), "purchase_order", "approve")


async def test_auditor_reads_everything_including_the_audit_log_and_changes_nothing(
    db: str,
) -> None:
    shop = await make_shop("acme")
    policy = await load_policy(shop.tenant.id)
    auditor = role_subject("auditor")

    assert policy.allows(auditor, "audit_log", "read")
    assert policy.allows(auditor, "order", "read")
    assert not policy.allows(auditor, "order", "write")
    assert not policy.allows(auditor, "rule_set", "approve")


async def test_admin_cannot_grant_a_permission_they_do_not_hold(db: str) -> None:
    # given: an admin, who runs the organisation but approves no orders
    shop = await make_shop("acme")
    admin_user = await add_member(shop, "admin@acme.example.com", ["admin"])
    actor = await principal(shop, admin_user)

    # when / then: neither directly, nor through inheritance, nor by assigning a role
    with pytest.raises(PermissionDenied, match="order:approve"):
        await in_shop(shop, roles.create_role(
            actor, "refunder", "Refunder", department_id=None,
            permissions=[("order", "approve")], inherits=[],
        ))  # fmt: skip
    with pytest.raises(PermissionDenied):
        await in_shop(shop, roles.create_role(
            actor, "sneaky", "Sneaky", department_id=None,
            permissions=[], inherits=["finance-manager"],
        ))  # fmt: skip
    with tenant_scope(shop.tenant.id):
        membership = await Membership.get(user_id=admin_user.id)
    with pytest.raises(PermissionDenied):
        await in_shop(shop, members.assign_role(actor, membership.id, "owner"))
    with tenant_scope(shop.tenant.id):
        assert not await Role.exists(slug__in=["refunder", "sneaky"])
    assert "owner" not in (await load_policy(shop.tenant.id)).roles_of(f"user:{admin_user.id}")


async def test_admin_may_grant_what_they_hold(db: str) -> None:
    shop = await make_shop("acme")
    admin_user = await add_member(shop, "admin@acme.example.com", ["admin"])
    actor = await principal(shop, admin_user)

    role = await in_shop(shop, roles.create_role(
        actor, "org-reader", "Org reader", department_id=None,
        permissions=[("member", "read"), ("department", "read")], inherits=[],
    ))  # fmt: skip

    policy = await load_policy(shop.tenant.id)
    assert roles.role_permissions(policy, role.slug) == {
        Permission("member", "read"),
        Permission("department", "read"),
    }


async def test_the_last_owner_cannot_be_removed_or_demoted(db: str) -> None:
    shop = await make_shop("acme")
    actor = await principal(shop)
    with tenant_scope(shop.tenant.id):
        membership = await Membership.get(user_id=shop.owner.id)

    with pytest.raises(LastOwner):
        await in_shop(shop, members.remove_member(actor, membership.id))
    with pytest.raises(LastOwner):
        await in_shop(shop, members.unassign_role(actor, membership.id, "owner"))

    with tenant_scope(shop.tenant.id):
        assert await Membership.exists(id=membership.id)


async def test_an_owner_can_step_down_once_another_owner_exists(db: str) -> None:
    shop = await make_shop("acme")
    await add_member(shop, "heir@acme.example.com", ["owner"])
    actor = await principal(shop)
    with tenant_scope(shop.tenant.id):
        membership = await Membership.get(user_id=shop.owner.id)

    await in_shop(shop, members.unassign_role(actor, membership.id, "owner"))

    policy = await load_policy(shop.tenant.id)
    assert "owner" not in policy.roles_of(f"user:{shop.owner.id}")


async def test_role_inheritance_cycles_are_refused(db: str) -> None:
    shop = await make_shop("acme")
    actor = await principal(shop)
    with tenant_scope(shop.tenant.id):
        staff = await Role.get(slug="warehouse-staff")

    with pytest.raises(InvalidInput, match="cycle"):
        await in_shop(shop, roles.update_role(actor, staff.id, inherits=["warehouse-manager"]))


async def test_system_roles_cannot_be_deleted_and_custom_ones_leave_no_lines(db: str) -> None:
    shop = await make_shop("acme")
    actor = await principal(shop)
    custom = await in_shop(shop, roles.create_role(
        actor, "temp", "Temp", department_id=None,
        permissions=[("order", "read")], inherits=["warehouse-staff"],
    ))  # fmt: skip
    await add_member(shop, "temp@acme.example.com", ["temp"])
    with tenant_scope(shop.tenant.id):
        system = await Role.get(slug="auditor")

    with pytest.raises(PermissionDenied, match="system role"):
        await in_shop(shop, roles.delete_role(actor, system.id))
    await in_shop(shop, roles.delete_role(actor, custom.id))

    policy = await load_policy(shop.tenant.id)
    lines = [*policy.enforcer.get_policy(), *policy.enforcer.get_grouping_policy()]
    assert not [line for line in lines if "role:temp" in line]


async def test_added_member_without_account_gets_an_invitation(db: str) -> None:
    shop = await make_shop("acme")
    actor = await principal(shop)

    added = await in_shop(
        shop,
        members.add_member(
            actor,
            "new@acme.example.com",
            ["warehouse-staff"],
            department_id=None,
            invitation_ttl=TTL,
        ),
    )

    assert added.invitation_token
    policy = await load_policy(shop.tenant.id)
    assert policy.roles_of(f"user:{added.membership.user_id}") == ["warehouse-staff"]
