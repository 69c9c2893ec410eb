from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from merchantops.rules.models import VersionStatus
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('merchantops', '0003_jobs_outbox_webhooks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RuleSetVersion',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=20)),
                ('version', fields.IntField()),
                ('status', fields.CharEnumField(default=VersionStatus.DRAFT, description='DRAFT: draft\nACTIVE: active\nRETIRED: retired', enum_type=VersionStatus, max_length=16)),
                ('document', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_by', fields.CharField(max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('activated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'rule_set_version', 'app': 'merchantops', 'unique_together': (('tenant', 'kind', 'version'),), 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.AddField(
            model_name='Tenant',
            name='rules_version',
            field=fields.IntField(default=0),
        ),
    ]
