"""Tenant-owned models fail closed: no tenant in context, no rows."""

from __future__ import annotations

import pytest
from tortoise import Tortoise

from merchantops.tenants.base import CrossTenantWrite, TenantModel
from merchantops.tenants.context import NoTenantInContext, tenant_scope
from merchantops.tenants.models import Department, Membership
from tests.factories import make_shop


async def test_query_without_tenant_in_context_raises(db: str) -> None:
    # given
    await make_shop("acme")

    # when / then
    with pytest.raises(NoTenantInContext, match="Membership is tenant-owned"):
        await Membership.all()
    with pytest.raises(NoTenantInContext):
        await Membership.filter(department_id=None).count()
    with pytest.raises(NoTenantInContext):
        await Membership.get_or_none(department_id=None)


async def test_reverse_relation_without_tenant_in_context_raises(db: str) -> None:
    shop = await make_shop("acme")

    with pytest.raises(NoTenantInContext):
        await shop.owner.memberships.all()


async def test_query_in_tenant_scope_sees_only_that_tenants_rows(db: str) -> None:
    # given
    acme = await make_shop("acme")
    globex = await make_shop("globex")

    # when
    with tenant_scope(acme.tenant.id):
        rows = await Membership.all()
        foreign = await Membership.get_or_none(user_id=globex.owner.id)

    # then
    assert [row.user_id for row in rows] == [acme.owner.id]
    assert foreign is None


async def test_bulk_update_and_delete_touch_only_the_scoped_tenant(db: str) -> None:
    acme = await make_shop("acme")
    globex = await make_shop("globex")

    with tenant_scope(acme.tenant.id):
        sales = await Department.get(slug="marketing")
        updated = await Membership.all().update(department_id=sales.id)
        deleted = await Membership.all().delete()

    assert (updated, deleted) == (1, 1)
    with tenant_scope(globex.tenant.id):
        survivor = await Membership.get(user_id=globex.owner.id)
    assert survivor.department_id is None


async def test_saving_another_tenants_row_raises(db: str) -> None:
    acme = await make_shop("acme")
    globex = await make_shop("globex")
    with tenant_scope(acme.tenant.id):
        membership = await Membership.get(user_id=acme.owner.id)

    with tenant_scope(globex.tenant.id), pytest.raises(CrossTenantWrite):
        await membership.save()
    with tenant_scope(globex.tenant.id), pytest.raises(CrossTenantWrite):
        await membership.delete()


async def test_new_row_takes_the_tenant_in_context(db: str) -> None:
    acme = await make_shop("acme")
    globex = await make_shop("globex")

    with tenant_scope(acme.tenant.id):
        created = await Membership.create(user=globex.owner)

    assert created.tenant_id == acme.tenant.id


async def test_every_tenant_unique_constraint_is_led_by_tenant(db: str) -> None:
    models = [
        model for model in Tortoise.apps["merchantops"].values() if issubclass(model, TenantModel)
    ]
    assert models, "no tenant-owned models found"
    for model in models:
        for fields in model._meta.unique_together:
            assert fields[0] == "tenant", f"{model.__name__} unique {fields} not led by tenant"
        for name, field in model._meta.fields_map.items():
            if field.unique and not field.pk:
                pytest.fail(f"{model.__name__}.{name} is unique across tenants")
