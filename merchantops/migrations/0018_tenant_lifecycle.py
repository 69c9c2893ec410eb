"""The tenant lifecycle's platform tables: archives, deletions and the platform audit trail.

They are global tables (`dbengine/rls.py` GLOBAL_TABLES, Citus coordinator-local): they
outlive the tenant they are about, so they name it in `subject_tenant_id` without a foreign
key, and have no `tenant_id` column, which would make them tenant tables to row-level
security (`domain/lifecycle/models.py`).
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from merchantops.domain.lifecycle.models import ArchiveStatus, DeletionStatus
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('merchantops', '0017_citus_keys')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PlatformAuditEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('actor', fields.CharField(max_length=100)),
                ('action', fields.CharField(max_length=100)),
                ('subject_tenant_id', fields.UUIDField(null=True, description='The tenant it is about')),
                ('tenant_slug', fields.CharField(null=True, max_length=63)),
                ('details', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('request_id', fields.CharField(null=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'platform_audit', 'app': 'merchantops', 'indexes': [Index(fields=['subject_tenant_id', 'created_at']), Index(fields=['action', 'created_at'])], 'pk_attr': 'id', 'table_description': 'What a platform admin did to a tenant, kept after the tenant and its own audit trail'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TenantArchive',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('subject_tenant_id', fields.UUIDField(description='The tenant it is about')),
                ('tenant_slug', fields.CharField(max_length=63)),
                ('status', fields.CharEnumField(default=ArchiveStatus.QUEUED, description='QUEUED: queued\nRUNNING: running\nDONE: done\nFAILED: failed', enum_type=ArchiveStatus, max_length=16)),
                ('requested_by', fields.CharField(max_length=100)),
                ('progress_done', fields.BigIntField(default=0)),
                ('progress_total', fields.BigIntField(null=True)),
                ('tables', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('file_name', fields.CharField(null=True, max_length=255)),
                ('size_bytes', fields.BigIntField(null=True)),
                ('sha256', fields.CharField(null=True, max_length=64)),
                ('error', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'tenant_archive', 'app': 'merchantops', 'indexes': [Index(fields=['subject_tenant_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'One export of every tenant table of a tenant into one file, built by a job.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TenantDeletion',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('subject_tenant_id', fields.UUIDField(description='The tenant it is about')),
                ('tenant_slug', fields.CharField(max_length=63)),
                ('status', fields.CharEnumField(default=DeletionStatus.QUEUED, description='QUEUED: queued\nPURGING: purging\nDONE: done\nFAILED: failed', enum_type=DeletionStatus, max_length=16)),
                ('requested_by', fields.CharField(max_length=100)),
                ('runs', fields.IntField(default=0, description='Bumped each time the purge is started again')),
                ('rows_deleted', fields.BigIntField(default=0)),
                ('rows_total', fields.BigIntField(null=True)),
                ('tables', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('error', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'tenant_deletion', 'app': 'merchantops', 'indexes': [Index(fields=['subject_tenant_id', 'status'])], 'pk_attr': 'id', 'table_description': 'A tenant being deleted: while it is not done, the tenant stays suspended and its purge'},
            bases=['Model'],
        ),
    ]
