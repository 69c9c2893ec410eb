"""Each rule-set version keeps every period it was in force (`rule_set_activation`).

Versions activated before this migration get one activation: from their `activated_at` (the
last one, as earlier rollbacks overwrote it) to the next activation of their kind, or open
for the active one; who activated them is not known ('').
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from merchantops.rules.models import ActivationVia
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

BACKFILL = (
    'INSERT INTO "rule_set_activation" '
    '("tenant_id", "version_id", "activated_at", "deactivated_at", "activated_by", "via") '
    'SELECT v."tenant_id", v."id", v."activated_at", '
    "CASE WHEN v.\"status\" = 'active' THEN NULL ELSE ("
    'SELECT MIN(o."activated_at") FROM "rule_set_version" o '
    'WHERE o."tenant_id" = v."tenant_id" AND o."kind" = v."kind" '
    'AND o."activated_at" > v."activated_at") END, '
    "'', 'activate' "
    'FROM "rule_set_version" v WHERE v."activated_at" IS NOT NULL'
)


async def _forward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    await schema_editor.client.execute_query(BACKFILL)


async def _backward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    pass  # the table goes with the model


class Migration(migrations.Migration):
    dependencies = [('merchantops', '0013_po_awaiting_approval')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RuleSetActivation',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('version', fields.ForeignKeyField('merchantops.RuleSetVersion', source_field='version_id', db_constraint=True, to_field='id', related_name='activations', on_delete=OnDelete.CASCADE)),
                ('activated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('deactivated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('activated_by', fields.CharField(max_length=100)),
                ('via', fields.CharEnumField(description='ACTIVATE: activate\nROLLBACK: rollback', enum_type=ActivationVia, max_length=16)),
            ],
            options={'table': 'rule_set_activation', 'app': 'merchantops', 'indexes': [Index(fields=['tenant_id', 'version_id'])], 'pk_attr': 'id', 'table_description': 'One period a rule-set version was in force, from its activation or rollback.'},
            bases=['TenantModel'],
        ),
        ops.RunPython(_forward, _backward),
    ]
