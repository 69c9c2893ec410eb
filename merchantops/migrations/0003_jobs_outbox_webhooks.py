from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from merchantops.domain.webhooks.models import DeliveryStatus
from merchantops.tenants.models import JobStatus
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('merchantops', '0002_audit_log')]

    initial = False

    operations = [
        ops.CreateModel(
            name='JobRecord',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('key', fields.CharField(description='Idempotency key, e.g. event:<id>', max_length=200)),
                ('name', fields.CharField(max_length=100)),
                ('payload', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(default=JobStatus.QUEUED, description='QUEUED: queued\nRUNNING: running\nRETRYING: retrying\nSUCCEEDED: succeeded\nDEAD: dead', enum_type=JobStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('runs', fields.IntField(default=0, description='Bumped by each replay')),
                ('progress_done', fields.IntField(default=0)),
                ('progress_total', fields.IntField(null=True)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'job_record', 'app': 'merchantops', 'unique_together': (('tenant', 'key'),), 'indexes': [Index(fields=['tenant_id', 'status'])], 'pk_attr': 'id', 'table_description': 'What a background job is doing, for GraphQL. Dead jobs form the dead-letter list.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='OutboxEvent',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('type', fields.CharField(max_length=100)),
                ('payload', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('dispatched_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('relay_attempts', fields.IntField(default=0)),
                ('last_error', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'outbox_event', 'app': 'merchantops', 'indexes': [Index(fields=['dispatched_at', 'created_at'])], 'pk_attr': 'id', 'table_description': 'A domain event written in the transaction of its state change, relayed to the queue.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='WebhookSubscription',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('url', fields.CharField(max_length=2000)),
                ('event_types', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('secret', fields.CharField(max_length=100)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'webhook_subscription', 'app': 'merchantops', 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('subscription', fields.ForeignKeyField('merchantops.WebhookSubscription', source_field='subscription_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('event_id', fields.UUIDField()),
                ('event_type', fields.CharField(max_length=100)),
                ('payload', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(default=DeliveryStatus.PENDING, description='PENDING: pending\nDELIVERED: delivered\nFAILED: failed\nDEAD: dead', enum_type=DeliveryStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('last_status_code', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'webhook_delivery', 'app': 'merchantops', 'unique_together': (('tenant', 'subscription', 'event_id'),), 'pk_attr': 'id', 'table_description': 'One event for one subscription. Its id is the `webhook-id` receivers deduplicate on.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='WebhookAttempt',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('delivery', fields.ForeignKeyField('merchantops.WebhookDelivery', source_field='delivery_id', db_constraint=True, to_field='id', related_name='attempt_log', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('status_code', fields.IntField(null=True)),
                ('error', fields.TextField(null=True, unique=False)),
                ('duration_ms', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'webhook_attempt', 'app': 'merchantops', 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
    ]
