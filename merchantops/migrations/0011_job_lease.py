from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('merchantops', '0010_audit_sealing_counters')]

    initial = False

    operations = [
        ops.AddField(
            model_name='JobRecord',
            name='lease_until',
            field=fields.DatetimeField(null=True, description='Until when the queue is trusted with an unfinished job (empty: due now)', auto_now=False, auto_now_add=False),
        ),
        ops.AddIndex(
            model_name='JobRecord',
            index=Index(fields=['status', 'lease_until']),
        ),
    ]
