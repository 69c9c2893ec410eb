from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from merchantops.domain.exports.models import ExportStatus
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('merchantops', '0006_supply_chain')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DataExport',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('dataset', fields.CharField(max_length=50)),
                ('classification', fields.CharField(max_length=32)),
                ('status', fields.CharEnumField(description='AWAITING_APPROVAL: awaiting_approval\nQUEUED: queued\nDONE: done\nFAILED: failed\nREJECTED: rejected', enum_type=ExportStatus, max_length=20)),
                ('requested_by', fields.CharField(max_length=100)),
                ('roles', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('scopes', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('approval_id', fields.UUIDField(null=True)),
                ('row_count', fields.IntField(null=True)),
                ('rows', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('error', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'data_export', 'app': 'merchantops', 'indexes': [Index(fields=['tenant_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'One export: what was asked, by whom with which roles, and the masked rows it produced.'},
            bases=['TenantModel'],
        ),
    ]
