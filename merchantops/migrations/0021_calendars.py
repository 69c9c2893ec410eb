"""Business calendars and their holidays and working days (domain/calendars), then row-level
security and keys Citus can distribute for them (`rls.protect_every_tenant_table`,
`citus.use_composite_keys`, both idempotent and PostgreSQL only).

Numbered 0021 while 0020 is written on another branch: the dependency follows it at the merge.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from merchantops.domain.calendars.models import DayKind
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from uuid import uuid4
from tortoise import fields

from merchantops.dbengine import citus, rls


async def _forward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    await rls.protect_every_tenant_table(schema_editor.client)
    await citus.use_composite_keys(schema_editor.client)


async def _backward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    pass  # the tables' removal takes their policies and keys with them


class Migration(migrations.Migration):
    dependencies = [('merchantops', '0020_orders')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BusinessCalendar',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=100)),
                ('time_zone', fields.CharField(max_length=64)),
                ('holiday_country', fields.CharField(default='', max_length=2)),
                ('holiday_subdivision', fields.CharField(default='', max_length=10)),
                ('week', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('is_default', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'business_calendar', 'app': 'merchantops', 'unique_together': (('tenant', 'name'),), 'pk_attr': 'id', 'table_description': 'Working hours in a time zone, with holidays. The default one serves where none is named.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='CalendarHoliday',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('calendar', fields.ForeignKeyField('merchantops.BusinessCalendar', source_field='calendar_id', db_constraint=True, to_field='id', related_name='days', on_delete=OnDelete.CASCADE)),
                ('day', fields.DateField()),
                ('name', fields.CharField(default='', max_length=100)),
                ('kind', fields.CharEnumField(default=DayKind.HOLIDAY, description='HOLIDAY: holiday\nWORKING_DAY: working_day', enum_type=DayKind, max_length=16)),
                ('intervals', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'calendar_holiday', 'app': 'merchantops', 'unique_together': (('tenant', 'calendar', 'day'),), 'pk_attr': 'id', 'table_description': "A date that differs from its calendar's week: a holiday, or a working day."},
            bases=['TenantModel'],
        ),
        ops.RunPython(_forward, _backward),
    ]
