from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('merchantops', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('seq', fields.BigIntField()),
                ('actor', fields.CharField(max_length=100)),
                ('action', fields.CharField(max_length=100)),
                ('target_type', fields.CharField(max_length=50)),
                ('target_id', fields.CharField(max_length=100)),
                ('diff', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('request_id', fields.CharField(null=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('prev_hash', fields.CharField(max_length=64)),
                ('hash', fields.CharField(max_length=64)),
            ],
            options={'table': 'audit_entry', 'app': 'merchantops', 'unique_together': (('tenant', 'seq'),), 'indexes': [Index(fields=['tenant_id', 'action']), Index(fields=['tenant_id', 'created_at'])], 'pk_attr': 'id', 'table_description': "One link of a tenant's hash-chained audit trail. Never updated, never deleted."},
            bases=['TenantModel'],
        ),
    ]
