"""Purchase orders held for approval get their own status, `awaiting_approval`.

Orders already waiting (a pending approval named in `pending_approval_id`) move to it; going
back, a waiting order returns to submitted if it had been submitted, else to draft.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from merchantops.domain.purchasing.models import PoStatus
from tortoise import fields

HOLD = (
    "UPDATE \"purchase_order\" SET \"status\" = 'awaiting_approval' "
    'WHERE "pending_approval_id" IS NOT NULL '
    "AND \"status\" IN ('draft', 'submitted')"
)
RELEASE = (
    'UPDATE "purchase_order" SET "status" = CASE WHEN "submitted_at" IS NULL '
    "THEN 'draft' ELSE 'submitted' END WHERE \"status\" = 'awaiting_approval'"
)


async def _forward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    await schema_editor.client.execute_query(HOLD)


async def _backward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    await schema_editor.client.execute_query(RELEASE)


class Migration(migrations.Migration):
    dependencies = [('merchantops', '0012_sessions')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='PurchaseOrder',
            name='status',
            field=fields.CharEnumField(default=PoStatus.DRAFT, description='DRAFT: draft\nAWAITING_APPROVAL: awaiting_approval\nSUBMITTED: submitted\nAPPROVED: approved\nPARTIALLY_RECEIVED: partially_received\nRECEIVED: received\nCLOSED: closed\nCANCELLED: cancelled', enum_type=PoStatus, max_length=20),
        ),
        ops.RunPython(_forward, _backward),
    ]
