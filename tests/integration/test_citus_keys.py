"""The schema is one Citus can distribute by tenant_id, and docs/scaling.md says how.

Checked against PostgreSQL's catalogue of the migrated test database: every tenant table's
primary key and unique constraints include tenant_id, every foreign key between tenant tables
is (tenant_id, x_id) -> (tenant_id, id) and none is ON DELETE SET NULL, every table without
tenant_id is declared global.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tortoise import Tortoise

from merchantops.dbengine import citus
from merchantops.dbengine.citus import Constraint, Schema

pytestmark = pytest.mark.postgres
SCALING = Path(__file__).resolve().parents[2] / "docs" / "scaling.md"


async def _schema() -> Schema:
    return await citus.read_schema(Tortoise.get_connection("default"))


async def test_every_tenant_table_can_be_distributed_by_tenant_id(pg_db: str) -> None:
    schema = await _schema()

    assert len(schema.tenant_tables) >= 30
    assert citus.problems(schema) == []
    assert citus.composite_key_statements(schema) == []  # nothing left to rewrite


async def test_keys_between_tenant_tables_lead_with_tenant_id(pg_db: str) -> None:
    schema = await _schema()
    primary = {c.table: c.columns for c in schema.constraints if c.kind == "p"}
    foreign = schema.between_tenant_tables()

    assert {primary[table] for table in schema.tenant_tables} == {("tenant_id", "id")}
    assert len(foreign) >= 25
    assert all(c.columns[0] == c.ref_columns[0] == "tenant_id" for c in foreign)


def test_the_check_names_every_key_citus_would_refuse() -> None:
    schema = Schema(
        tenant_tables=("order", "order_line"),
        global_tables=("tenant", "currency"),
        constraints=(
            Constraint("order_pkey", "p", "order", ("id",)),
            Constraint("order_line_pkey", "p", "order_line", ("tenant_id", "id")),
            Constraint("uid_number", "u", "order", ("number",)),
            Constraint(
                "order_line_order_id_fkey", "f", "order_line", ("order_id",), "order", ("id",),
                on_delete="n",
            ),
            Constraint("order_tenant_fkey", "f", "order", ("tenant_id",), "tenant", ("id",)),
        ),
    )  # fmt: skip

    assert citus.problems(schema) == [
        "order: primary key (id) leaves out tenant_id",
        "order: unique constraint uid_number (number) leaves out tenant_id",
        "order_line: foreign key order_line_order_id_fkey to order leaves out tenant_id",
        "order_line: foreign key order_line_order_id_fkey is ON DELETE SET NULL",
        "currency: no tenant_id and not declared global (rls.GLOBAL_TABLES)",
    ]
    assert citus.composite_key_statements(schema) == [
        'ALTER TABLE "order_line" DROP CONSTRAINT "order_line_order_id_fkey"',
        'ALTER TABLE "order" DROP CONSTRAINT "order_pkey"',
        'ALTER TABLE "order" ADD CONSTRAINT "order_pkey" PRIMARY KEY ("tenant_id", "id")',
        'ALTER TABLE "order" DROP CONSTRAINT "uid_number"',
        'ALTER TABLE "order" ADD CONSTRAINT "uid_number" UNIQUE ("tenant_id", "number")',
        'ALTER TABLE "order_line" ADD CONSTRAINT "order_line_order_id_fkey" FOREIGN KEY '
        '("tenant_id", "order_id") REFERENCES "order" ("tenant_id", "id") '
        "ON DELETE RESTRICT ON UPDATE NO ACTION",
    ]


async def test_the_conversion_is_in_foreign_key_order_and_the_docs_show_it(pg_db: str) -> None:
    schema = await _schema()
    statements = citus.distribution_statements(schema)
    order = [s.split("'")[1] for s in statements if "create_" in s]
    position = {table: index for index, table in enumerate(order)}

    assert statements[1] == "SET citus.enable_local_reference_table_foreign_keys = off;"
    assert order[: len(order) - len(schema.tenant_tables)][0] == "tenant"
    for c in schema.constraints:
        if c.kind == "f" and c.table in position and c.ref_table in position:
            assert position[c.ref_table] < position[c.table], c.name
    assert "```sql\n" + "\n".join(statements) + "\n```" in SCALING.read_text(), (
        "docs/scaling.md is stale: paste the output of `merchantops citus-plan`"
    )
