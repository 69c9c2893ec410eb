"""Customers and their addresses (domain/customers), then row-level security and keys Citus
can distribute for them (`rls.protect_every_tenant_table`, `citus.use_composite_keys`, both
idempotent and PostgreSQL only).
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

from merchantops.dbengine import citus, rls


async def _forward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    await rls.protect_every_tenant_table(schema_editor.client)
    await citus.use_composite_keys(schema_editor.client)


async def _backward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    pass  # the tables' removal takes their policies and keys with them


class Migration(migrations.Migration):
    dependencies = [('merchantops', '0018_tenant_lifecycle')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Customer',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('email', fields.CharField(default='', max_length=254)),
                ('phone', fields.CharField(default='', max_length=40)),
                ('tags', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('tag_index', fields.CharField(default=',', max_length=1000)),
                ('note', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('erased_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'customer', 'app': 'merchantops', 'indexes': [Index(fields=['tenant_id', 'email']), Index(fields=['tenant_id', 'created_at'])], 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='CustomerAddress',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('customer', fields.ForeignKeyField('merchantops.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='addresses', on_delete=OnDelete.CASCADE)),
                ('label', fields.CharField(default='', max_length=50)),
                ('recipient', fields.CharField(max_length=200)),
                ('line1', fields.CharField(max_length=200)),
                ('line2', fields.CharField(default='', max_length=200)),
                ('city', fields.CharField(max_length=100)),
                ('region', fields.CharField(default='', max_length=100)),
                ('postal_code', fields.CharField(default='', max_length=20)),
                ('country', fields.CharField(max_length=2)),
                ('phone', fields.CharField(default='', max_length=40)),
                ('is_default', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'customer_address', 'app': 'merchantops', 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.RunPython(_forward, _backward),
    ]
