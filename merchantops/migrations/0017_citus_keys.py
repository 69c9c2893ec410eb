"""Keys Citus can distribute by tenant_id (PostgreSQL; `merchantops/dbengine/citus.py`).

A department's members and roles no longer lose it by `ON DELETE SET NULL` (which would null
tenant_id too in a two-column key, and Citus refuses): the service clears them before deleting
it, and the foreign keys restrict. Then every tenant table's primary key becomes
(tenant_id, id), and every foreign key between tenant tables (tenant_id, x_id) ->
(tenant_id, id). The models keep `id` for the ORM.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

from merchantops.dbengine import citus


async def _forward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    await citus.use_composite_keys(schema_editor.client)


async def _backward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    pass  # two-column keys serve one-column lookups as well; nothing to undo

class Migration(migrations.Migration):
    dependencies = [('merchantops', '0016_row_level_security')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Membership',
            name='department',
            field=fields.ForeignKeyField('merchantops.Department', source_field='department_id', null=True, db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.RESTRICT),
        ),
        ops.AlterField(
            model_name='Role',
            name='department',
            field=fields.ForeignKeyField('merchantops.Department', source_field='department_id', null=True, db_constraint=True, to_field='id', related_name='roles', on_delete=OnDelete.RESTRICT),
        ),
        ops.RunPython(_forward, _backward),
    ]
