from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from merchantops.tenants.models import TenantStatus
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Tenant',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=63)),
                ('name', fields.CharField(max_length=200)),
                ('status', fields.CharEnumField(default=TenantStatus.ACTIVE, description='ACTIVE: active\nSUSPENDED: suspended', enum_type=TenantStatus, max_length=16)),
                ('policy_version', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'tenant', 'app': 'merchantops', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Department',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('slug', fields.CharField(max_length=63)),
                ('name', fields.CharField(max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'department', 'app': 'merchantops', 'unique_together': (('tenant', 'slug'),), 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='PolicyRule',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ptype', fields.CharField(max_length=8)),
                ('v0', fields.CharField(default='', max_length=255)),
                ('v1', fields.CharField(default='', max_length=255)),
                ('v2', fields.CharField(default='', max_length=255)),
                ('v3', fields.CharField(default='', max_length=255)),
                ('v4', fields.CharField(default='', max_length=255)),
                ('v5', fields.CharField(default='', max_length=255)),
            ],
            options={'table': 'casbin_rule', 'app': 'merchantops', 'indexes': [Index(fields=['tenant_id', 'ptype'])], 'pk_attr': 'id', 'table_description': 'One casbin policy line (`p` permission or `g` role link) of one tenant.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Role',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('slug', fields.CharField(max_length=63)),
                ('name', fields.CharField(max_length=200)),
                ('department', fields.ForeignKeyField('merchantops.Department', source_field='department_id', null=True, db_constraint=True, to_field='id', related_name='roles', on_delete=OnDelete.SET_NULL)),
                ('is_system', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'role', 'app': 'merchantops', 'unique_together': (('tenant', 'slug'),), 'pk_attr': 'id', 'table_description': "A role's name and place. Its permissions and parents live in the casbin policy."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('email', fields.CharField(unique=True, max_length=254)),
                ('full_name', fields.CharField(default='', max_length=200)),
                ('password_hash', fields.CharField(null=True, max_length=255)),
                ('is_active', fields.BooleanField(default=True)),
                ('is_platform_admin', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_login_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'user_account', 'app': 'merchantops', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ApiKey',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('public_id', fields.CharField(max_length=32)),
                ('secret_hash', fields.CharField(max_length=64)),
                ('previous_secret_hash', fields.CharField(null=True, max_length=64)),
                ('previous_expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('role_slug', fields.CharField(max_length=63)),
                ('scopes', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_by', fields.ForeignKeyField('merchantops.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'api_key', 'app': 'merchantops', 'unique_together': (('tenant', 'public_id'),), 'indexes': [Index(fields=['public_id'])], 'pk_attr': 'id', 'table_description': "A partner's key: `mok_<public id>_<secret>`. Only a hash of the secret is stored."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Invitation',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('merchantops.User', source_field='user_id', db_constraint=True, to_field='id', related_name='invitations', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('accepted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'invitation', 'app': 'merchantops', 'pk_attr': 'id', 'table_description': 'A one-time token that lets an invited user set their password.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Membership',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('merchantops.User', source_field='user_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('department', fields.ForeignKeyField('merchantops.Department', source_field='department_id', null=True, db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'membership', 'app': 'merchantops', 'unique_together': (('tenant', 'user'),), 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='RefreshToken',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('merchantops.User', source_field='user_id', db_constraint=True, to_field='id', related_name='refresh_tokens', on_delete=OnDelete.CASCADE)),
                ('family_id', fields.UUIDField(db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'refresh_token', 'app': 'merchantops', 'pk_attr': 'id', 'table_description': 'One link of a rotating refresh-token family. Only a hash of the token is stored.'},
            bases=['Model'],
        ),
    ]
