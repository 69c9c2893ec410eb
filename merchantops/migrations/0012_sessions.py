"""Login sessions: the row every request reads with its user, so an ended session ends its
access tokens at once (`tenants.auth`).

Each refresh-token family already in the database becomes a session with the family's id,
ended when its tokens were revoked.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from merchantops.tenants.models import SessionEnd
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

FAMILIES = (
    'INSERT INTO "login_session" ("id", "user_id", "created_at", "ended_at") '
    'SELECT "family_id", "user_id", MIN("created_at"), MAX("revoked_at") '
    'FROM "refresh_token" GROUP BY "family_id", "user_id"'
)


async def _forward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    await schema_editor.client.execute_query(FAMILIES)


async def _backward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    pass  # the table goes with the CreateModel


class Migration(migrations.Migration):
    dependencies = [('merchantops', '0011_job_lease')]

    initial = False

    operations = [
        ops.CreateModel(
            name='LoginSession',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('merchantops.User', source_field='user_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('end_reason', fields.CharEnumField(null=True, description='LOGOUT: logout\nREUSE_DETECTED: reuse_detected', enum_type=SessionEnd, max_length=16)),
            ],
            options={'table': 'login_session', 'app': 'merchantops', 'pk_attr': 'id', 'table_description': 'One login, from the password to its end. Its id is the family id of its refresh tokens'},
            bases=['Model'],
        ),
        ops.RunPython(_forward, _backward),
    ]
