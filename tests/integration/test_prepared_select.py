"""A prepared select gives what its queryset gives, on both databases, inside transactions too."""

from __future__ import annotations

import pytest
from tortoise.transactions import in_transaction

from merchantops.prepared import PreparedSelect
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import Tenant, User
from tests.factories import make_shop

pytestmark = pytest.mark.usefixtures("db")

BY_SLUG = PreparedSelect(lambda slug: Tenant.filter(slug=slug).limit(1))
MEMBERS_OF = PreparedSelect(
    lambda slug: User.filter(memberships__tenant__slug=slug).order_by("email")
)


async def test_the_prepared_lookup_finds_what_the_queryset_finds() -> None:
    acme = await make_shop("acme")
    await make_shop("globex")

    [found] = await BY_SLUG.fetch("acme")
    again = await BY_SLUG.fetch("globex")

    assert found.id == acme.tenant.id
    assert found.name == acme.tenant.name
    assert found.created_at == (await Tenant.get(slug="acme")).created_at
    assert [tenant.slug for tenant in again] == ["globex"]
    assert await BY_SLUG.fetch("nobody") == []
    with tenant_scope(acme.tenant.id):  # memberships are the tenant's rows
        assert [u.email for u in await MEMBERS_OF.fetch("acme")] == [acme.email]


async def test_inside_a_transaction_it_reads_the_transaction() -> None:
    await make_shop("acme")
    async with in_transaction():
        await Tenant.filter(slug="acme").update(name="Renamed")
        [seen] = await BY_SLUG.fetch("acme")
    assert seen.name == "Renamed"


def test_a_query_without_exactly_one_parameter_is_refused() -> None:
    twice = PreparedSelect(lambda slug: Tenant.filter(slug=slug, name=slug))
    with pytest.raises(ValueError, match="exactly once"):
        twice._prepared(twice.build("\x00merchantops-prepared-parameter\x00"), "test")
