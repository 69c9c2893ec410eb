"""Audit entries are chained after commit (`audit.seal`), and tenants number through counters.

`seq`, `prev_hash` and `hash` become nullable (null until sealed); a partial index finds the
unsealed entries of a tenant. `tenant_counter` holds each tenant's sequences, starting where
the purchase-order numbers already handed out end.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

UNSEALED_INDEX = (
    'CREATE INDEX "audit_entry_unsealed" ON "audit_entry" ("tenant_id", "id") WHERE "seq" IS NULL'
)
COUNTERS = (
    'INSERT INTO "tenant_counter" ("tenant_id", "name", "value") '
    "SELECT \"tenant_id\", 'purchase_order', MAX(CAST(SUBSTR(\"number\", 4) AS BIGINT)) "
    'FROM "purchase_order" GROUP BY "tenant_id"'
)


async def _forward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    client = schema_editor.client
    await client.execute_query(UNSEALED_INDEX)
    await client.execute_query(COUNTERS)


async def _backward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    await schema_editor.client.execute_query('DROP INDEX IF EXISTS "audit_entry_unsealed"')


class Migration(migrations.Migration):
    dependencies = [('merchantops', '0009_product_contact')]

    initial = False

    operations = [
        ops.CreateModel(
            name='TenantCounter',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=50)),
                ('value', fields.BigIntField(default=0)),
            ],
            options={'table': 'tenant_counter', 'app': 'merchantops', 'unique_together': (('tenant', 'name'),), 'pk_attr': 'id', 'table_description': "The last number handed out of one of a tenant's sequences (`tenants.sequences`)."},
            bases=['TenantModel'],
        ),
        ops.AlterModelOptions(
            name='AuditEntry',
            options={'table': 'audit_entry', 'app': 'merchantops', 'unique_together': (('tenant', 'seq'),), 'indexes': [Index(fields=['tenant_id', 'action']), Index(fields=['tenant_id', 'created_at'])], 'pk_attr': 'id', 'table_description': "One link of a tenant's hash-chained audit trail. Written unchained (`seq`, `prev_hash`"},
        ),
        ops.AlterField(
            model_name='AuditEntry',
            name='hash',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AlterField(
            model_name='AuditEntry',
            name='prev_hash',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AlterField(
            model_name='AuditEntry',
            name='seq',
            field=fields.BigIntField(null=True),
        ),
        ops.RunPython(_forward, _backward),
    ]
