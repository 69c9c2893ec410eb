"""Row-level security on every tenant table (PostgreSQL): enabled, forced, one policy admitting
only the rows of the tenant the connection is scoped to (`merchantops/dbengine/rls.py`).

A later migration that adds a tenant table ends with `rls.protect_every_tenant_table`; data
migrations that must see every tenant's rows run inside `across_tenants(Crossing.MIGRATIONS)`,
as `db.migrate_db` runs every migration.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

from merchantops.dbengine import rls


async def _forward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    await rls.protect_every_tenant_table(schema_editor.client)


async def _backward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    client = schema_editor.client
    if client.capabilities.dialect != "postgres":
        return
    for table in await rls.tenant_tables(client):
        for statement in rls.unprotect_statements(table):
            await client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [('merchantops', '0015_received_lots')]

    initial = False

    operations = [ops.RunPython(_forward, _backward)]
