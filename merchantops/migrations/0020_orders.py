"""Orders, fulfilment orders, the payment ledger, refunds, returns and order settings
(domain/orders), then row-level security and keys Citus can distribute for them
(`rls.protect_every_tenant_table`, `citus.use_composite_keys`, both idempotent and PostgreSQL
only). Its tables reference older tenant tables (SKUs, lots, customers...) by id: it starts
with `citus.referable_by_id`, which lets them for the migration's while.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from decimal import Decimal
from merchantops.domain.inventory.models import MovementKind
from merchantops.domain.orders.models import Disposition, FulfillmentStatus, OrderChannel, OrderStatus, RefundStatus, ReturnOutcome, ReturnStatus
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
    dependencies = [('merchantops', '0019_customers')]

    initial = False

    operations = [
        ops.RunPython(_referable, _backward),
        ops.CreateModel(
            name='Order',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('number', fields.IntField()),
                ('status', fields.CharEnumField(default=OrderStatus.UNFULFILLED, description='DRAFT: DRAFT\nUNCONFIRMED: UNCONFIRMED\nUNFULFILLED: UNFULFILLED\nPARTIALLY_FULFILLED: PARTIALLY_FULFILLED\nFULFILLED: FULFILLED\nCLOSED: CLOSED\nCANCELED: CANCELED\nEXPIRED: EXPIRED', enum_type=OrderStatus, max_length=24)),
                ('payment_status', fields.CharField(default='NONE', max_length=24)),
                ('channel', fields.CharEnumField(default=OrderChannel.STAFF, description='STAFF: STAFF\nPARTNER: PARTNER', enum_type=OrderChannel, max_length=16)),
                ('customer', fields.ForeignKeyField('merchantops.Customer', source_field='customer_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('placed_by', fields.CharField(max_length=100)),
                ('idempotency_key', fields.CharField(null=True, max_length=100)),
                ('request_hash', fields.CharField(default='', max_length=64)),
                ('currency', fields.CharField(max_length=3)),
                ('subtotal', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('discount', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('shipping', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('shipping_tax', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('tax', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('total', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('charged', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('refunded', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('email', fields.CharField(default='', max_length=254)),
                ('phone', fields.CharField(default='', max_length=40)),
                ('ship_recipient', fields.CharField(default='', max_length=200)),
                ('ship_line1', fields.CharField(default='', max_length=200)),
                ('ship_line2', fields.CharField(default='', max_length=200)),
                ('ship_city', fields.CharField(default='', max_length=100)),
                ('ship_region', fields.CharField(default='', max_length=100)),
                ('ship_postal_code', fields.CharField(default='', max_length=20)),
                ('ship_country', fields.CharField(default='', max_length=2)),
                ('ship_phone', fields.CharField(default='', max_length=40)),
                ('address_key', fields.CharField(default='', max_length=64)),
                ('note', fields.TextField(default='', unique=False)),
                ('exchange_for_return_id', fields.UUIDField(null=True)),
                ('placed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('fulfilled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('canceled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancel_reason', fields.CharField(default='', max_length=500)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'sales_order', 'app': 'merchantops', 'unique_together': (('tenant', 'number'), ('tenant', 'idempotency_key')), 'indexes': [Index(fields=['tenant_id', 'status', 'created_at']), Index(fields=['tenant_id', 'customer_id', 'created_at']), Index(fields=['tenant_id', 'address_key', 'created_at']), Index(fields=['tenant_id', 'created_at'])], 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='FulfillmentOrder',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('merchantops.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='fulfillments', on_delete=OnDelete.CASCADE)),
                ('warehouse', fields.ForeignKeyField('merchantops.Warehouse', source_field='warehouse_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(default=FulfillmentStatus.OPEN, description='OPEN: OPEN\nON_HOLD: ON_HOLD\nIN_PROGRESS: IN_PROGRESS\nSHIPPED: SHIPPED\nDELIVERED: DELIVERED\nCANCELED: CANCELED', enum_type=FulfillmentStatus, max_length=16)),
                ('hold_reason', fields.CharField(default='', max_length=500)),
                ('carrier', fields.CharField(default='', max_length=100)),
                ('tracking_number', fields.CharField(default='', max_length=100)),
                ('shipped_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'fulfillment_order', 'app': 'merchantops', 'indexes': [Index(fields=['tenant_id', 'order_id']), Index(fields=['tenant_id', 'status'])], 'pk_attr': 'id', 'table_description': 'What one warehouse ships of an order.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='OrderEvent',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('merchantops.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('type', fields.CharField(max_length=64)),
                ('data', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('message', fields.TextField(default='', unique=False)),
                ('actor', fields.CharField(max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'order_event', 'app': 'merchantops', 'indexes': [Index(fields=['tenant_id', 'order_id', 'id'])], 'pk_attr': 'id', 'table_description': "An entry of an order's history: data names fields and ids, a note goes in message."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='OrderLine',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('merchantops.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('sku', fields.ForeignKeyField('merchantops.Sku', source_field='sku_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('sku_code', fields.CharField(max_length=64)),
                ('name', fields.CharField(max_length=200)),
                ('quantity', fields.IntField()),
                ('unit_price', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('tax_category', fields.CharField(max_length=32)),
                ('tax_rate', fields.DecimalField(max_digits=7, decimal_places=5)),
                ('prices_include_tax', fields.BooleanField()),
                ('subtotal', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('discount', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('tax', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('total', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('adjustments', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('quantity_shipped', fields.IntField(default=0)),
                ('quantity_returned', fields.IntField(default=0)),
                ('refunded', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
            ],
            options={'table': 'order_line', 'app': 'merchantops', 'unique_together': (('tenant', 'order', 'position'),), 'indexes': [Index(fields=['tenant_id', 'sku_id'])], 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='FulfillmentLine',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('fulfillment', fields.ForeignKeyField('merchantops.FulfillmentOrder', source_field='fulfillment_id', db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('order_line', fields.ForeignKeyField('merchantops.OrderLine', source_field='order_line_id', db_constraint=True, to_field='id', related_name='fulfillment_lines', on_delete=OnDelete.CASCADE)),
                ('quantity', fields.IntField()),
                ('allocation', fields.ForeignKeyField('merchantops.Allocation', source_field='allocation_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'fulfillment_line', 'app': 'merchantops', 'indexes': [Index(fields=['tenant_id', 'order_line_id'])], 'pk_attr': 'id', 'table_description': "One order line's units in one fulfilment order, reserved by an inventory allocation."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='OrderLineLot',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('order_line', fields.ForeignKeyField('merchantops.OrderLine', source_field='order_line_id', db_constraint=True, to_field='id', related_name='lots', on_delete=OnDelete.CASCADE)),
                ('lot', fields.ForeignKeyField('merchantops.Lot', source_field='lot_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('fulfillment_id', fields.UUIDField()),
                ('quantity', fields.IntField()),
            ],
            options={'table': 'order_line_lot', 'app': 'merchantops', 'indexes': [Index(fields=['tenant_id', 'order_line_id']), Index(fields=['tenant_id', 'lot_id'])], 'pk_attr': 'id', 'table_description': "The lots an order line's units were taken from: order to lot to supplier."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='OrderSettings',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('currency', fields.CharField(default='CNY', max_length=3)),
                ('confirm_partner_orders', fields.BooleanField(default=False)),
                ('expire_unconfirmed_after_hours', fields.IntField(default=48)),
                ('return_window_days', fields.IntField(default=7)),
                ('payment_provider', fields.CharField(default='manual', max_length=32)),
                ('quality_return_threshold', fields.IntField(default=5)),
                ('quality_period_days', fields.IntField(default=30)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'order_settings', 'app': 'merchantops', 'unique_together': (('tenant',),), 'pk_attr': 'id', 'table_description': "A tenant's order settings: currency, confirmation, expiry, returns and the quality loop."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='PaymentTransaction',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('merchantops.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='transactions', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=16)),
                ('status', fields.CharField(max_length=16)),
                ('amount', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('idempotency_key', fields.CharField(max_length=100)),
                ('parent_key', fields.CharField(null=True, max_length=100)),
                ('provider', fields.CharField(max_length=32)),
                ('provider_reference', fields.CharField(null=True, max_length=200)),
                ('refund_id', fields.UUIDField(null=True)),
                ('created_by', fields.CharField(max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'payment_transaction', 'app': 'merchantops', 'unique_together': (('tenant', 'order', 'idempotency_key'),), 'pk_attr': 'id', 'table_description': "One entry of an order's payment ledger. Only its status and reference ever change."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Refund',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('merchantops.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='refunds', on_delete=OnDelete.CASCADE)),
                ('return_id', fields.UUIDField(null=True)),
                ('status', fields.CharEnumField(default=RefundStatus.PENDING, description='PENDING: PENDING\nSUCCESS: SUCCESS\nFAILURE: FAILURE', enum_type=RefundStatus, max_length=16)),
                ('amount', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('lines_amount', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('shipping', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('adhoc', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('reason', fields.CharField(default='', max_length=500)),
                ('lines', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('idempotency_key', fields.CharField(max_length=100)),
                ('requested_by', fields.CharField(max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('settled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'refund', 'app': 'merchantops', 'unique_together': (('tenant', 'order', 'idempotency_key'),), 'indexes': [Index(fields=['tenant_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'Money given back: per line, for shipping, or ad hoc with a reason.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Return',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('number', fields.IntField()),
                ('order', fields.ForeignKeyField('merchantops.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='returns', on_delete=OnDelete.CASCADE)),
                ('customer_id', fields.UUIDField(null=True)),
                ('status', fields.CharEnumField(default=ReturnStatus.REQUESTED, description='REQUESTED: REQUESTED\nAPPROVED: APPROVED\nDECLINED: DECLINED\nIN_TRANSIT: IN_TRANSIT\nRECEIVED: RECEIVED\nINSPECTED: INSPECTED\nCLOSED: CLOSED', enum_type=ReturnStatus, max_length=16)),
                ('outcome', fields.CharEnumField(default=ReturnOutcome.REFUND, description='REFUND: REFUND\nEXCHANGE: EXCHANGE\nSTORE_CREDIT: STORE_CREDIT', enum_type=ReturnOutcome, max_length=16)),
                ('note', fields.TextField(default='', unique=False)),
                ('decline_reason', fields.CharField(default='', max_length=500)),
                ('carrier', fields.CharField(default='', max_length=100)),
                ('tracking_number', fields.CharField(default='', max_length=100)),
                ('store_credit', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('replacement_order_id', fields.UUIDField(null=True)),
                ('requested_by', fields.CharField(max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('received_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'order_return', 'app': 'merchantops', 'unique_together': (('tenant', 'number'),), 'indexes': [Index(fields=['tenant_id', 'order_id']), Index(fields=['tenant_id', 'status', 'created_at'])], 'pk_attr': 'id', 'table_description': 'A return merchandise authorisation (RMA) of one order.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='ReturnLine',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('rma', fields.ForeignKeyField('merchantops.Return', source_field='rma_id', db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('order_line', fields.ForeignKeyField('merchantops.OrderLine', source_field='order_line_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('sku_id', fields.UUIDField()),
                ('quantity', fields.IntField()),
                ('quantity_received', fields.IntField(default=0)),
                ('reason_code', fields.CharField(max_length=32)),
                ('evidence', fields.TextField(default='', unique=False)),
                ('disposition', fields.CharEnumField(null=True, description='RESTOCK: RESTOCK\nQUARANTINE: QUARANTINE\nSCRAP: SCRAP\nRETURN_TO_SUPPLIER: RETURN_TO_SUPPLIER', enum_type=Disposition, max_length=24)),
                ('disposition_note', fields.CharField(default='', max_length=500)),
                ('lot_id', fields.UUIDField(null=True)),
                ('supplier_id', fields.UUIDField(null=True)),
                ('purchase_order_id', fields.UUIDField(null=True)),
                ('restock_zone_id', fields.UUIDField(null=True)),
            ],
            options={'table': 'return_line', 'app': 'merchantops', 'indexes': [Index(fields=['tenant_id', 'sku_id', 'reason_code']), Index(fields=['tenant_id', 'order_line_id'])], 'pk_attr': 'id'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='ReturnReason',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('code', fields.CharField(max_length=32)),
                ('label', fields.CharField(max_length=200)),
                ('active', fields.BooleanField(default=True)),
            ],
            options={'table': 'return_reason', 'app': 'merchantops', 'unique_together': (('tenant', 'code'),), 'pk_attr': 'id', 'table_description': "A reason a customer may give for returning a line, from the tenant's own list."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='SkuOrderPolicy',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('sku', fields.ForeignKeyField('merchantops.Sku', source_field='sku_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('tax_category', fields.CharField(default='standard', max_length=32)),
                ('returnable', fields.BooleanField(default=True)),
            ],
            options={'table': 'sku_order_policy', 'app': 'merchantops', 'unique_together': (('tenant', 'sku'),), 'pk_attr': 'id', 'table_description': 'How orders treat one SKU: its tax category and whether it can be returned.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='StoreCredit',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('customer', fields.ForeignKeyField('merchantops.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('amount', fields.DecimalField(default=Decimal('0'), max_digits=18, decimal_places=3)),
                ('currency', fields.CharField(max_length=3)),
                ('return_id', fields.UUIDField(null=True)),
                ('reason', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'store_credit', 'app': 'merchantops', 'indexes': [Index(fields=['tenant_id', 'customer_id'])], 'pk_attr': 'id', 'table_description': "A movement of a customer's store credit: granted by a return, or spent."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='TaxRate',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('category', fields.CharField(max_length=32)),
                ('rate', fields.DecimalField(max_digits=7, decimal_places=5)),
                ('prices_include_tax', fields.BooleanField(default=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'tax_rate', 'app': 'merchantops', 'unique_together': (('tenant', 'category'),), 'pk_attr': 'id', 'table_description': "A tenant's tax category: its rate and whether prices in it include the tax."},
            bases=['TenantModel'],
        ),
        ops.AlterField(
            model_name='StockMovement',
            name='kind',
            field=fields.CharEnumField(description='RECEIPT: receipt\nALLOCATION: allocation\nRELEASE: release\nSHIPMENT: shipment\nADJUSTMENT: adjustment\nTRANSFER_OUT: transfer_out\nTRANSFER_IN: transfer_in\nRETURN: return', enum_type=MovementKind, max_length=16),
        ),
        ops.RunPython(_forward, _backward),
    ]
