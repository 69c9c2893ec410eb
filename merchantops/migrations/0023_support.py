"""Customer service (domain/support): tickets, messages, SLA clocks, escalations, article
links, surveys, teams, SLA policies and settings, then row-level security and keys Citus can
distribute for them (`rls.protect_every_tenant_table`, `citus.use_composite_keys`, both
idempotent and PostgreSQL only). Its tables reference older tenant tables (customers, orders,
returns, SKUs, lots, articles) by id: it starts with `citus.referable_by_id`.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from merchantops.domain.support.clocks import Target
from merchantops.domain.support.models import Author, Confirmation, EscalationLevel, EscalationReason, MessageKind
from merchantops.domain.support.policies import Channel, Priority, Severity, TicketStatus, TicketType
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

from merchantops.dbengine import citus, rls


async def _referable(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    await citus.referable_by_id(schema_editor.client)


async def _forward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    await rls.protect_every_tenant_table(schema_editor.client)
    await citus.use_composite_keys(schema_editor.client)


async def _backward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    pass  # the tables' removal takes their policies and keys with them



class Migration(migrations.Migration):
    dependencies = [('merchantops', '0022_knowledge')]

    initial = False

    operations = [
        ops.RunPython(_referable, _backward),
        ops.CreateModel(
            name='SlaPolicyRecord',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('position', fields.IntField()),
                ('document', fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'sla_policy', 'app': 'merchantops', 'unique_together': (('tenant', 'position'),), 'pk_attr': 'id', 'table_description': "One SLA policy of the tenant's ordered list, as a checked document (policies.py)."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='SupportSettings',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('warning_share', fields.FloatField(default=0.8)),
                ('auto_close_days', fields.IntField(default=7)),
                ('reopen_escalation_threshold', fields.IntField(default=2)),
                ('confirmation_timeout_days', fields.IntField(default=3)),
                ('survey_valid_days', fields.IntField(default=14)),
                ('calendar_id', fields.UUIDField(null=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'support_settings', 'app': 'merchantops', 'unique_together': (('tenant',),), 'pk_attr': 'id', 'table_description': "A tenant's customer-service settings: warnings, auto-close, reopen escalation, surveys."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='SupportTeam',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=120)),
                ('lead_id', fields.UUIDField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'support_team', 'app': 'merchantops', 'unique_together': (('tenant', 'name'),), 'pk_attr': 'id', 'table_description': 'A team tickets are assigned to, and its lead (who takes breached tickets).'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Ticket',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('number', fields.IntField()),
                ('subject', fields.CharField(max_length=200)),
                ('type', fields.CharEnumField(description='INQUIRY: INQUIRY\nCOMPLAINT: COMPLAINT\nAFTER_SALES: AFTER_SALES\nRETURN: RETURN\nWARRANTY: WARRANTY', enum_type=TicketType, max_length=16)),
                ('priority', fields.CharEnumField(default=Priority.NORMAL, description='LOW: LOW\nNORMAL: NORMAL\nHIGH: HIGH\nURGENT: URGENT', enum_type=Priority, max_length=16)),
                ('severity', fields.CharEnumField(null=True, description='GENERAL: GENERAL\nMAJOR: MAJOR', enum_type=Severity, max_length=16)),
                ('channel', fields.CharEnumField(description='EMAIL: EMAIL\nCHAT: CHAT\nPHONE: PHONE\nAPP: APP\nSOCIAL: SOCIAL', enum_type=Channel, max_length=16)),
                ('status', fields.CharEnumField(default=TicketStatus.NEW, description='NEW: NEW\nOPEN: OPEN\nPENDING_CUSTOMER: PENDING_CUSTOMER\nON_HOLD: ON_HOLD\nSOLVED: SOLVED\nCLOSED: CLOSED', enum_type=TicketStatus, max_length=24)),
                ('concerns_product', fields.BooleanField(default=False)),
                ('requester_name', fields.CharField(default='', max_length=200)),
                ('requester_email', fields.CharField(default='', max_length=254)),
                ('customer', fields.ForeignKeyField('merchantops.Customer', source_field='customer_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.RESTRICT)),
                ('order', fields.ForeignKeyField('merchantops.Order', source_field='order_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.RESTRICT)),
                ('rma', fields.ForeignKeyField('merchantops.Return', source_field='rma_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.RESTRICT)),
                ('sku', fields.ForeignKeyField('merchantops.Sku', source_field='sku_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.RESTRICT)),
                ('lot', fields.ForeignKeyField('merchantops.Lot', source_field='lot_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.RESTRICT)),
                ('team', fields.ForeignKeyField('merchantops.SupportTeam', source_field='team_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.RESTRICT)),
                ('assignee_id', fields.UUIDField(null=True)),
                ('policy_name', fields.CharField(default='', max_length=200)),
                ('sla_targets', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('calendar_id', fields.UUIDField(null=True)),
                ('escalation_level', fields.CharEnumField(null=True, description='ASSIGNEE: ASSIGNEE\nTEAM_LEAD: TEAM_LEAD\nMANAGEMENT: MANAGEMENT', enum_type=EscalationLevel, max_length=16)),
                ('reopen_count', fields.IntField(default=0)),
                ('first_replied_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_customer_message_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('solved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('root_cause', fields.TextField(default='', unique=False)),
                ('corrective_action', fields.TextField(default='', unique=False)),
                ('confirmation', fields.CharEnumField(null=True, description='CONFIRMED: CONFIRMED\nTIMED_OUT: TIMED_OUT', enum_type=Confirmation, max_length=16)),
                ('confirmation_requested_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('idempotency_key', fields.CharField(null=True, max_length=100)),
                ('request_hash', fields.CharField(default='', max_length=64)),
                ('created_by', fields.CharField(default='', max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'ticket', 'app': 'merchantops', 'unique_together': (('tenant', 'number'), ('tenant', 'idempotency_key')), 'indexes': [Index(fields=['tenant_id', 'status', 'created_at']), Index(fields=['tenant_id', 'assignee_id']), Index(fields=['tenant_id', 'team_id'])], 'pk_attr': 'id', 'table_description': "A customer's problem from any channel, its SLA policy, assignment and closed loop."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='SlaClock',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('merchantops.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='clocks', on_delete=OnDelete.CASCADE)),
                ('target', fields.CharEnumField(description='FIRST_REPLY: FIRST_REPLY\nNEXT_REPLY: NEXT_REPLY\nPERIODIC_UPDATE: PERIODIC_UPDATE\nRESOLUTION: RESOLUTION', enum_type=Target, max_length=16)),
                ('goal_minutes', fields.IntField()),
                ('business_hours', fields.BooleanField(default=True)),
                ('pause_on', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('spent_seconds', fields.BigIntField(default=0)),
                ('running_since', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('due_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('warn_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('met_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('breached_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('warned_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
            ],
            options={'table': 'sla_clock', 'app': 'merchantops', 'unique_together': (('tenant', 'ticket', 'target'),), 'indexes': [Index(fields=['tenant_id', 'due_at'])], 'pk_attr': 'id', 'table_description': 'One SLA target of a ticket, counted in working time of a calendar (clocks.py).'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='SurveyResponse',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('merchantops.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='surveys', on_delete=OnDelete.CASCADE)),
                ('nonce', fields.CharField(max_length=64)),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('csat', fields.IntField(null=True)),
                ('nps', fields.IntField(null=True)),
                ('comment', fields.TextField(default='', unique=False)),
                ('team_id', fields.UUIDField(null=True)),
                ('assignee_id', fields.UUIDField(null=True)),
            ],
            options={'table': 'ticket_survey', 'app': 'merchantops', 'unique_together': (('tenant', 'ticket'), ('tenant', 'nonce')), 'indexes': [Index(fields=['tenant_id', 'answered_at'])], 'pk_attr': 'id', 'table_description': "The satisfaction survey of a solved ticket: its single-use token's id and the answer."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='TicketArticle',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('merchantops.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='article_links', on_delete=OnDelete.CASCADE)),
                ('article', fields.ForeignKeyField('merchantops.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='ticket_links', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'ticket_article', 'app': 'merchantops', 'unique_together': (('tenant', 'ticket', 'article'),), 'pk_attr': 'id', 'table_description': 'A knowledge-base article linked from a ticket (sent to the customer or used to answer).'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='TicketEscalation',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('merchantops.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='escalations', on_delete=OnDelete.CASCADE)),
                ('level', fields.CharEnumField(description='ASSIGNEE: ASSIGNEE\nTEAM_LEAD: TEAM_LEAD\nMANAGEMENT: MANAGEMENT', enum_type=EscalationLevel, max_length=16)),
                ('reason', fields.CharEnumField(description='SLA_WARNING: SLA_WARNING\nSLA_BREACH: SLA_BREACH\nMAJOR_COMPLAINT: MAJOR_COMPLAINT\nREOPENED: REOPENED', enum_type=EscalationReason, max_length=16)),
                ('target', fields.CharEnumField(null=True, description='FIRST_REPLY: FIRST_REPLY\nNEXT_REPLY: NEXT_REPLY\nPERIODIC_UPDATE: PERIODIC_UPDATE\nRESOLUTION: RESOLUTION', enum_type=Target, max_length=16)),
                ('from_assignee_id', fields.UUIDField(null=True)),
                ('to_assignee_id', fields.UUIDField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'ticket_escalation', 'app': 'merchantops', 'indexes': [Index(fields=['tenant_id', 'ticket_id'])], 'pk_attr': 'id', 'table_description': 'One step up the escalation ladder, and when it happened.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='TicketMessage',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('merchantops.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='messages', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='PUBLIC: PUBLIC\nNOTE: NOTE', enum_type=MessageKind, max_length=8)),
                ('author_kind', fields.CharEnumField(description='AGENT: AGENT\nCUSTOMER: CUSTOMER\nSYSTEM: SYSTEM', enum_type=Author, max_length=8)),
                ('author', fields.CharField(max_length=100)),
                ('channel', fields.CharEnumField(description='EMAIL: EMAIL\nCHAT: CHAT\nPHONE: PHONE\nAPP: APP\nSOCIAL: SOCIAL', enum_type=Channel, max_length=16)),
                ('body', fields.TextField(unique=False)),
                ('idempotency_key', fields.CharField(null=True, max_length=100)),
                ('request_hash', fields.CharField(default='', max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'ticket_message', 'app': 'merchantops', 'unique_together': (('tenant', 'idempotency_key'),), 'indexes': [Index(fields=['tenant_id', 'ticket_id', 'created_at'])], 'pk_attr': 'id', 'table_description': "A public reply, a customer's message or an internal note on a ticket."},
            bases=['TenantModel'],
        ),
        ops.RunPython(_forward, _backward),
    ]
