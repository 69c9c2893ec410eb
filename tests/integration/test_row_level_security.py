"""PostgreSQL holds every connection to the tenant in context, whatever the application asks.

The test database is used as production uses it: migrated by the owner of the tables, the app
connected as a role that is neither a superuser nor BYPASSRLS (tests/conftest.py).
"""

from __future__ import annotations

import pytest
from tortoise import Tortoise
from tortoise.exceptions import OperationalError

from merchantops.dbengine import rls
from merchantops.tenants.context import Crossing, across_tenants, tenant_scope
from merchantops.tenants.models import Department
from tests.factories import Shop, make_onboarded_shop

pytestmark = pytest.mark.postgres


async def _sql(statement: str, *values: object) -> list[dict[str, object]]:
    _, rows = await Tortoise.get_connection("default").execute_query(statement, list(values))
    return [dict(row) for row in rows]


async def _count(table: str) -> int:
    [row] = await _sql(f'SELECT count(*) AS n FROM "{table}"')
    return int(str(row["n"]))


@pytest.fixture
async def shops(pg_db: str) -> tuple[Shop, Shop]:
    return await make_onboarded_shop("acme"), await make_onboarded_shop("globex")


async def test_the_application_role_is_held_to_row_level_security(pg_db: str) -> None:
    found = await rls.status(Tortoise.get_connection("default"))

    assert found is not None
    assert found.enforced, found


async def test_raw_sql_on_the_applications_connection_sees_only_the_tenant_in_context(
    shops: tuple[Shop, Shop],
) -> None:
    acme, globex = shops
    with tenant_scope(acme.tenant.id):
        acme_departments = await Department.all().count()
        seen_by_acme = await _count("department")
        tenants_seen = await _sql("SELECT DISTINCT tenant_id FROM department")
    with tenant_scope(globex.tenant.id):
        seen_by_globex = await _count("department")
    seen_by_nobody = await _count("department")
    with across_tenants(Crossing.MIGRATIONS):
        seen_by_all = await _count("department")

    assert acme_departments > 0
    assert seen_by_acme == acme_departments
    assert [str(row["tenant_id"]) for row in tenants_seen] == [str(acme.tenant.id)]
    assert seen_by_globex == acme_departments  # the same template, another tenant's rows
    assert seen_by_nobody == 0
    assert seen_by_all == seen_by_acme + seen_by_globex


async def test_raw_sql_cannot_change_or_add_rows_of_another_tenant(
    shops: tuple[Shop, Shop],
) -> None:
    acme, globex = shops
    with tenant_scope(globex.tenant.id):
        before = sorted((d.slug, d.name) for d in await Department.all())
    with tenant_scope(acme.tenant.id):
        changed = await _sql(
            "UPDATE department SET name = 'taken' WHERE tenant_id = $1 RETURNING id",
            globex.tenant.id,
        )
        deleted = await _sql(
            "DELETE FROM department WHERE tenant_id = $1 RETURNING id", globex.tenant.id
        )
        with pytest.raises(OperationalError, match="row-level security"):
            await _sql(
                "INSERT INTO department (id, tenant_id, slug, name, created_at) "
                "VALUES (gen_random_uuid(), $1, 'planted', 'Planted', now())",
                globex.tenant.id,
            )
    with tenant_scope(globex.tenant.id):
        after = sorted((d.slug, d.name) for d in await Department.all())

    assert changed == []
    assert deleted == []
    assert after == before


async def test_a_scope_set_inside_a_rolled_back_transaction_is_set_again(
    shops: tuple[Shop, Shop],
) -> None:
    from tortoise.transactions import in_transaction

    acme, _ = shops
    with tenant_scope(acme.tenant.id):
        expected = await Department.all().count()

    class Abandon(Exception):
        pass

    async def counted_then_abandoned() -> None:
        async with in_transaction():
            assert await _count("department") == expected
            raise Abandon

    with tenant_scope(acme.tenant.id):
        with pytest.raises(Abandon):
            await counted_then_abandoned()
        # the rollback undid the setting made inside the transaction: set again, not trusted
        assert await _count("department") == expected


CATALOGUE = (
    "SELECT c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced, "
    "EXISTS (SELECT 1 FROM information_schema.columns k WHERE k.table_schema = n.nspname "
    "AND k.table_name = c.relname AND k.column_name = 'tenant_id') AS tenant_owned, "
    "(SELECT array_agg(p.polname::text || ':' || p.polcmd::text) FROM pg_policy p "
    "WHERE p.polrelid = c.oid) AS policies "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.relname"
)


def problems(tables: list[dict[str, object]]) -> list[str]:
    """A tenant table without row-level security forced and its one policy for every command,
    or a table without tenant_id that is not declared global."""
    found = []
    for row in tables:
        if row["tenant_owned"]:
            if not (row["enabled"] and row["forced"]):
                found.append(f"{row['name']}: row-level security not enabled and forced")
            if row["policies"] != [f"{rls.POLICY}:*"]:
                found.append(f"{row['name']}: policies {row['policies']}")
        elif row["name"] not in rls.GLOBAL_TABLES:
            found.append(f"{row['name']}: no tenant_id, not declared global")
    return found


async def test_every_tenant_table_has_a_forced_policy_and_every_other_table_is_global(
    pg_db: str,
) -> None:
    tables = await _sql(CATALOGUE)

    assert sum(1 for row in tables if row["tenant_owned"]) >= 30
    assert problems(tables) == []


def test_the_catalogue_check_names_what_is_missing() -> None:
    tables: list[dict[str, object]] = [
        {"name": "order", "tenant_owned": True, "enabled": True, "forced": False,
         "policies": [f"{rls.POLICY}:*"]},
        {"name": "refund", "tenant_owned": True, "enabled": True, "forced": True,
         "policies": None},
        {"name": "currency", "tenant_owned": False, "enabled": False, "forced": False,
         "policies": None},
        {"name": "tenant", "tenant_owned": False, "enabled": False, "forced": False,
         "policies": None},
    ]  # fmt: skip

    assert problems(tables) == [
        "order: row-level security not enabled and forced",
        "refund: policies None",
        "currency: no tenant_id, not declared global",
    ]


async def test_the_app_refuses_a_role_that_skips_row_level_security_when_required(
    postgres_owner_url: str,
) -> None:
    from merchantops.db import (
        RowLevelSecurityNotEnforced,
        check_row_level_security,
        close_db,
        init_db,
    )

    await init_db(postgres_owner_url)  # the superuser that owns the tables
    try:
        await check_row_level_security(required=False)  # a warning only
        with pytest.raises(RowLevelSecurityNotEnforced, match="superuser"):
            await check_row_level_security(required=True)
    finally:
        await close_db()


async def test_the_application_role_passes_the_start_up_check(pg_db: str) -> None:
    from merchantops.db import check_row_level_security

    await check_row_level_security(required=True)
