"""Casbin lines in the database: our adapter, per-tenant loading and the policy cache."""

from __future__ import annotations

import casbin

from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import PolicyRule, Tenant
from merchantops.tenants.rbac import (
    PolicyStore,
    TenantPolicyAdapter,
    load_policy,
    role_subject,
    user_subject,
)
from tests.factories import make_shop


async def _rows(tenant_id: object) -> list[tuple[str, ...]]:
    with tenant_scope(tenant_id):  # type: ignore[arg-type]
        rows = await PolicyRule.all().order_by("id").values_list("ptype", "v0", "v1", "v2", "v3")
    return [tuple(row) for row in rows]


async def test_batch_add_writes_every_line(db: str) -> None:
    # casbin-tortoise-adapter 2.0.0 broke here on tortoise 1.x (bulk_create returned None)
    tenant = await Tenant.create(slug="empty", name="Empty")
    adapter = TenantPolicyAdapter(tenant.id)
    lines = [[role_subject(f"r{i}"), str(tenant.id), "order", "read"] for i in range(5)]

    assert await adapter.add_policies("p", "p", lines) is True

    assert len(await _rows(tenant.id)) == 5


async def test_remove_filtered_policy_deletes_only_the_ptype_asked_for(db: str) -> None:
    # casbin-tortoise-adapter 2.0.0 ignored ptype here and deleted `g` lines with `p` lines
    tenant = await Tenant.create(slug="empty", name="Empty")
    domain = str(tenant.id)
    adapter = TenantPolicyAdapter(tenant.id)
    await adapter.add_policy("p", "p", [role_subject("clerk"), domain, "order", "read"])
    await adapter.add_policy("g", "g", [role_subject("clerk"), role_subject("staff"), domain])

    await adapter.remove_filtered_policy("p", "p", 0, role_subject("clerk"))

    assert await _rows(tenant.id) == [("g", "role:clerk", "role:staff", domain, "")]


async def test_a_tenants_enforcer_holds_only_that_tenants_lines(db: str) -> None:
    acme = await make_shop("acme")
    globex = await make_shop("globex")

    policy = await load_policy(acme.tenant.id)

    domains = {line[1] for line in policy.enforcer.get_policy()}
    assert domains == {str(acme.tenant.id)}
    assert policy.allows(user_subject(acme.owner.id), "order", "approve")
    assert not policy.allows(user_subject(globex.owner.id), "order", "read")


async def test_writes_through_casbin_bump_the_policy_version(db: str) -> None:
    shop = await make_shop("acme")
    before = (await Tenant.get(id=shop.tenant.id)).policy_version
    policy = await load_policy(shop.tenant.id)

    await policy.enforcer.add_policy(role_subject("x"), policy.domain, "order", "read")

    assert (await Tenant.get(id=shop.tenant.id)).policy_version > before


async def test_change_made_elsewhere_is_in_force_on_the_next_lookup(db: str) -> None:
    # given: two API processes, each with its own cache, both warmed
    shop = await make_shop("acme")
    clerk = user_subject(shop.owner.id).replace(str(shop.owner.id), "someone")
    here, there = PolicyStore(), PolicyStore()
    tenant = await Tenant.get(id=shop.tenant.id)
    assert not (await here.for_tenant(tenant)).allows(clerk, "ticket", "read")
    assert not (await there.for_tenant(tenant)).allows(clerk, "ticket", "read")

    # when: one process assigns a role
    editor = await load_policy(shop.tenant.id)
    await editor.enforcer.add_named_grouping_policy(
        "g", clerk, role_subject("customer-service-staff"), editor.domain
    )

    # then: the other sees it on its next request (which reads the tenant row anyway)
    fresh = await Tenant.get(id=shop.tenant.id)
    assert (await there.for_tenant(fresh)).allows(clerk, "ticket", "read")


async def test_cache_keeps_at_most_the_configured_number_of_tenants(db: str) -> None:
    store = PolicyStore(max_tenants=2)
    shops = [await make_shop(slug) for slug in ("a-shop", "b-shop", "c-shop")]

    for shop in shops:
        await store.for_tenant(await Tenant.get(id=shop.tenant.id))

    assert len(store) == 2


async def test_unchanged_tenant_reuses_the_cached_enforcer(db: str) -> None:
    shop = await make_shop("acme")
    store = PolicyStore()
    tenant = await Tenant.get(id=shop.tenant.id)

    first = await store.for_tenant(tenant)
    second = await store.for_tenant(await Tenant.get(id=shop.tenant.id))

    assert first is second
    assert isinstance(first.enforcer, casbin.AsyncEnforcer)


async def test_cached_policy_memoises_decisions_and_a_new_version_answers_anew(db: str) -> None:
    shop = await make_shop("acme")
    store = PolicyStore()
    subject = role_subject("newcomer")
    cached = await store.for_tenant(await Tenant.get(id=shop.tenant.id))
    assert not cached.allows(subject, "order", "read")

    editor = await load_policy(shop.tenant.id)
    await editor.enforcer.add_policy(subject, editor.domain, "order", "read")

    assert not cached.allows(subject, "order", "read")  # the old version keeps its answer
    fresh = await store.for_tenant(await Tenant.get(id=shop.tenant.id))
    assert fresh is not cached
    assert fresh.allows(subject, "order", "read")
