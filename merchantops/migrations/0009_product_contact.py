from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('merchantops', '0008_inventory')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Product',
            name='contact_email',
            field=fields.CharField(default='', max_length=254),
        ),
        ops.AddField(
            model_name='Product',
            name='contact_name',
            field=fields.CharField(default='', max_length=200),
        ),
    ]
