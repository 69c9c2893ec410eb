"""Keys Citus can distribute, read from and written to PostgreSQL's catalogue.

Citus distributes a table by one column, here `tenant_id`, and refuses a table whose primary
key, unique constraints or foreign keys to other distributed tables leave that column out: each
must be answerable on the one node holding the tenant's rows. tortoise declares one-column keys
(`id`, `<x>_id`); on PostgreSQL the migrations rewrite them (`composite_key_statements`):

- every tenant table's primary key is `(tenant_id, id)`; the models keep `id` for the ORM, and
  every query the application sends filters by `tenant_id` anyway (the managers, row-level
  security), so the key's first column is always known;
- every unique constraint of a tenant table starts with `tenant_id`;
- every foreign key between tenant tables is `(tenant_id, <x>_id) -> (tenant_id, id)`, with its
  `ON DELETE` action, except that `SET NULL` cannot be kept (it would null `tenant_id` too, and
  Citus refuses it): the service clears such a column itself before deleting the parent.

Foreign keys to the global tables (`tenant`, `user_account`) stay as they are: those become
reference tables, copied to every node. `distribution_statements` prints the Citus conversion
for the schema as it is (`merchantops citus-plan`; docs/scaling.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from graphlib import TopologicalSorter
from typing import Any

from merchantops.dbengine.rls import GLOBAL_TABLES, TABLES

TENANT = "tenant_id"
LOCAL_TABLES = frozenset(
    {"tortoise_migrations", "tenant_archive", "tenant_deletion", "platform_audit"}
)
"""Global tables that stay on the coordinator alone (nothing references them)."""
ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

CONSTRAINTS = """
SELECT con.conname AS name, con.contype AS kind, rel.relname AS table_name,
       ref.relname AS ref_table, con.confdeltype AS on_delete, con.confupdtype AS on_update,
       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num
             ORDER BY k.ord)::text[] AS columns,
       ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num
             ORDER BY k.ord)::text[] AS ref_columns
FROM pg_constraint con
JOIN pg_class rel ON rel.oid = con.conrelid
JOIN pg_namespace n ON n.oid = rel.relnamespace
LEFT JOIN pg_class ref ON ref.oid = con.confrelid
WHERE n.nspname = current_schema() AND con.contype IN ('p', 'u', 'f')
ORDER BY rel.relname, con.conname
"""


@dataclass(frozen=True)
class Constraint:
    name: str
    kind: str  # p, u, f
    table: str
    columns: tuple[str, ...]
    ref_table: str | None = None
    ref_columns: tuple[str, ...] = ()
    on_delete: str = "a"
    on_update: str = "a"


@dataclass(frozen=True)
class Schema:
    tenant_tables: tuple[str, ...]
    global_tables: tuple[str, ...]
    constraints: tuple[Constraint, ...]

    def between_tenant_tables(self) -> list[Constraint]:
        tenant = set(self.tenant_tables)
        return [
            c for c in self.constraints if c.kind == "f" and c.table in tenant
            and c.ref_table in tenant
        ]  # fmt: skip


async def read_schema(client: Any) -> Schema:
    """The current schema's tables and keys, through a tortoise client."""
    _, tables = await client.execute_query(TABLES)
    _, rows = await client.execute_query(CONSTRAINTS)
    constraints = tuple(
        Constraint(
            name=row["name"],
            kind=_text(row["kind"]),
            table=row["table_name"],
            columns=tuple(row["columns"]),
            ref_table=row["ref_table"],
            ref_columns=tuple(row["ref_columns"] or ()),
            on_delete=_text(row["on_delete"]),
            on_update=_text(row["on_update"]),
        )
        for row in rows
    )
    return Schema(
        tenant_tables=tuple(row["name"] for row in tables if row["tenant_owned"]),
        global_tables=tuple(row["name"] for row in tables if not row["tenant_owned"]),
        constraints=constraints,
    )


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _columns(columns: tuple[str, ...]) -> str:
    return ", ".join(f'"{column}"' for column in columns)


def problems(schema: Schema) -> list[str]:
    """What keeps Citus from distributing the tenant tables by tenant_id."""
    tenant = set(schema.tenant_tables)
    found = []
    for c in schema.constraints:
        if c.table not in tenant:
            continue
        if c.kind in "pu" and TENANT not in c.columns:
            what = "primary key" if c.kind == "p" else f"unique constraint {c.name}"
            found.append(f"{c.table}: {what} ({', '.join(c.columns)}) leaves out tenant_id")
        if c.kind == "f" and c.ref_table in tenant:
            if c.columns[:1] != (TENANT,) or c.ref_columns[:1] != (TENANT,):
                found.append(
                    f"{c.table}: foreign key {c.name} to {c.ref_table} leaves out tenant_id"
                )
            if c.on_delete == "n":
                found.append(f"{c.table}: foreign key {c.name} is ON DELETE SET NULL")
    for table in schema.global_tables:
        if table not in GLOBAL_TABLES:
            found.append(f"{table}: no tenant_id and not declared global (rls.GLOBAL_TABLES)")
    return found


REFERABLE = "_id_referable"
"""Suffix of the temporary `UNIQUE (id)` a migration adds (`referable_by_id`) so its new
tables can reference older tenant tables by `id` alone; `use_composite_keys` drops them."""


def referable_statements(schema: Schema) -> list[str]:
    """`UNIQUE (id)` on every tenant table whose keys all start with tenant_id already."""
    tenant = set(schema.tenant_tables)
    keyed = {
        c.table for c in schema.constraints if c.table in tenant and c.kind in "pu"
        and c.columns == ("id",)
    }  # fmt: skip
    has_id = {
        c.table for c in schema.constraints if c.table in tenant and c.kind == "p"
        and c.columns == (TENANT, "id")
    }  # fmt: skip
    return [
        f'ALTER TABLE "{table}" ADD CONSTRAINT "{table}{REFERABLE}" UNIQUE ("id")'
        for table in sorted(has_id - keyed)
    ]


async def referable_by_id(client: Any) -> list[str]:
    """For migrations (PostgreSQL only), first step of one whose new tables reference older
    tenant tables: tortoise writes those foreign keys as `REFERENCES t ("id")`, which needs
    a unique key on `id` alone, and the older tables' keys start with tenant_id. This adds
    one for the migration's while; `use_composite_keys`, its last step, rewrites the new
    foreign keys to `(tenant_id, x_id)` and drops these again."""
    if client.capabilities.dialect != "postgres":
        return []
    statements = referable_statements(await read_schema(client))
    for statement in statements:
        await client.execute_script(statement)
    return statements


def composite_key_statements(schema: Schema) -> list[str]:
    """DDL turning one-column keys of tenant tables into ones that start with tenant_id.
    Idempotent: keys that are right already are left alone."""
    tenant = set(schema.tenant_tables)
    foreign = [c for c in schema.between_tenant_tables() if c.columns[:1] != (TENANT,)]
    statements = [f'ALTER TABLE "{c.table}" DROP CONSTRAINT "{c.name}"' for c in foreign]
    for c in schema.constraints:
        if c.table in tenant and c.kind == "u" and c.name.endswith(REFERABLE):
            statements.append(f'ALTER TABLE "{c.table}" DROP CONSTRAINT "{c.name}"')
        elif c.table in tenant and c.kind in "pu" and TENANT not in c.columns:
            kind = "PRIMARY KEY" if c.kind == "p" else "UNIQUE"
            statements += [
                f'ALTER TABLE "{c.table}" DROP CONSTRAINT "{c.name}"',
                f'ALTER TABLE "{c.table}" ADD CONSTRAINT "{c.name}" '
                f"{kind} ({_columns((TENANT, *c.columns))})",
            ]
    for c in foreign:
        on_delete = "RESTRICT" if c.on_delete == "n" else ACTIONS[c.on_delete]
        statements.append(
            f'ALTER TABLE "{c.table}" ADD CONSTRAINT "{c.name}" '
            f"FOREIGN KEY ({_columns((TENANT, *c.columns))}) "
            f'REFERENCES "{c.ref_table}" ({_columns((TENANT, *c.ref_columns))}) '
            f"ON DELETE {on_delete} ON UPDATE {ACTIONS[c.on_update]}"
        )
    return statements


async def use_composite_keys(client: Any) -> list[str]:
    """For migrations (PostgreSQL only): rewrite the keys; a migration adding a tenant table
    ends with this, after `rls.protect_every_tenant_table`."""
    if client.capabilities.dialect != "postgres":
        return []
    statements = composite_key_statements(await read_schema(client))
    for statement in statements:
        await client.execute_script(statement)
    return statements


def _foreign_key_order(tables: tuple[str, ...], schema: Schema) -> list[str]:
    """`tables`, every table after the ones it references (parents first)."""
    chosen = set(tables)
    graph: dict[str, set[str]] = {table: set() for table in tables}
    for c in schema.constraints:
        if c.kind == "f" and c.table in chosen and c.ref_table in chosen and c.ref_table != c.table:
            graph[c.table].add(c.ref_table)
    sorter = TopologicalSorter(graph)
    sorter.prepare()
    ordered: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())  # alphabetical among equals: the same every time
        ordered += ready
        sorter.done(*ready)
    return ordered


def distribution_statements(schema: Schema) -> list[str]:
    """The Citus conversion of this schema, in foreign-key order: the global tables become
    reference tables, the tenant tables are distributed by tenant_id, all colocated with the
    first, so a tenant's rows of every table live on one node and joins stay local."""
    shared = tuple(table for table in schema.global_tables if table not in LOCAL_TABLES)
    reference = _foreign_key_order(shared, schema)
    distributed = _foreign_key_order(schema.tenant_tables, schema)
    statements = [
        "-- as a superuser on the coordinator, once the workers are added",
        "SET citus.enable_local_reference_table_foreign_keys = off;",
        *(f"SELECT create_reference_table('{table}');" for table in reference),
    ]
    if distributed:
        first, *rest = distributed
        statements.append(f"SELECT create_distributed_table('{first}', '{TENANT}');")
        statements += [
            f"SELECT create_distributed_table('{table}', '{TENANT}', colocate_with => '{first}');"
            for table in rest
        ]
    statements.append("RESET citus.enable_local_reference_table_foreign_keys;")
    return statements


__all__ = [
    "Constraint",
    "Schema",
    "composite_key_statements",
    "distribution_statements",
    "problems",
    "read_schema",
    "use_composite_keys",
]
