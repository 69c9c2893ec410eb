from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from merchantops.domain.governance.models import AlertStatus
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('merchantops', '0004_rule_set_versions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RiskAlert',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('rule_id', fields.CharField(max_length=63)),
                ('title', fields.CharField(max_length=200)),
                ('severity', fields.CharField(max_length=16)),
                ('status', fields.CharEnumField(default=AlertStatus.OPEN, description='OPEN: open\nACKNOWLEDGED: acknowledged\nRESOLVED: resolved', enum_type=AlertStatus, max_length=16)),
                ('dedup_key', fields.CharField(max_length=400)),
                ('occurrences', fields.IntField(default=1)),
                ('last_event_id', fields.UUIDField()),
                ('last_fact', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'risk_alert', 'app': 'merchantops', 'indexes': [Index(fields=['tenant_id', 'status']), Index(fields=['tenant_id', 'dedup_key'])], 'pk_attr': 'id', 'table_description': 'One open problem. Repeated signals with the same key add occurrences, not alerts.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='RiskSignal',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event_id', fields.UUIDField()),
                ('rule_id', fields.CharField(max_length=63)),
                ('alert_id', fields.UUIDField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'risk_signal', 'app': 'merchantops', 'unique_together': (('tenant', 'event_id', 'rule_id'),), 'pk_attr': 'id', 'table_description': 'That rule R fired on event E: recorded once, so a re-run job raises nothing twice.'},
            bases=['TenantModel'],
        ),
    ]
