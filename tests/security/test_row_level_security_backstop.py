"""With the managers' tenant filter switched off, PostgreSQL alone keeps tenants apart.

The isolation matrix (`test_isolation_matrix.py`: every operation of the schema, aimed at
another tenant's ids, by token and by API key) runs again with `TenantManager` filtering
nothing and `TenantModel` checking no writes: row-level security must answer the same.
"""

from __future__ import annotations

from typing import Any

import pytest
from tortoise.queryset import QuerySet

from merchantops.tenants.base import TenantManager, TenantModel
from merchantops.tenants.context import current_tenant_id, tenant_scope
from merchantops.tenants.models import Department
from tests.conftest import GraphQLClient
from tests.security import test_isolation_matrix as matrix
from tests.security.test_isolation_matrix import world  # noqa: F401 - the matrix's fixture

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("db", ["postgres"], indirect=True)]


def _unfiltered(manager: TenantManager) -> QuerySet[Any]:
    return QuerySet(manager._model)


def _unchecked(instance: TenantModel) -> None:
    if instance.tenant_id is None:
        instance.tenant_id = current_tenant_id(type(instance).__name__)


@pytest.fixture
def managers_filter_off(world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(TenantManager, "get_queryset", _unfiltered)
    monkeypatch.setattr(TenantModel, "_check_tenant", _unchecked)


async def test_the_switch_really_takes_the_filter_off(
    world: dict[str, Any],  # noqa: F811
    managers_filter_off: None,
) -> None:
    acme_id = world["acme"].tenant.id
    with tenant_scope(acme_id):
        query = Department.all()
        rows = await query

    assert "WHERE" not in query.sql()
    assert rows
    assert {row.tenant_id for row in rows} == {acme_id}


@pytest.mark.parametrize("caller", ["owner", "api_key"])
async def test_another_tenants_ids_find_nothing_and_change_nothing_without_the_filter(
    gql: GraphQLClient,
    world: dict[str, Any],  # noqa: F811
    managers_filter_off: None,
    caller: str,
) -> None:
    await matrix.test_tenant_a_acting_on_tenant_b_ids_gets_not_found_and_changes_nothing(
        gql, world, caller
    )


@pytest.mark.parametrize("caller", ["owner", "api_key"])
async def test_no_operation_reveals_or_changes_another_tenant_without_the_filter(
    gql: GraphQLClient,
    world: dict[str, Any],  # noqa: F811
    managers_filter_off: None,
    caller: str,
) -> None:
    await matrix.test_no_operation_of_tenant_a_reveals_or_changes_anything_of_tenant_b(
        gql, world, caller
    )
