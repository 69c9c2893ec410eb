"""Purchasing keeps the provenance of the lots it received (`received_lot`); `lot` loses its
`purchase_order_id` and `receipt_id`, so inventory no longer refers to purchasing.

Every lot a receipt made gets its `received_lot` row, with the lot's id as the row's id (one
row per lot, so the ids stay unique) and the receipt's order where the lot had none; receiving
always wrote both, so no lot with an order but no receipt is expected. Going back, the lots get
their two columns again, filled from `received_lot`.

SQLite drops a column by rebuilding the table, and dropping the old `lot` inside the migration's
transaction deletes rows that `stock_level` and `stock_movement` refer to (refused) and cascades
to `received_lot`. Tortoise's rebuild also keeps a dropped foreign key's column as a plain one
and loses the table's unique (tenant, trace code). So on SQLite the rows are set aside first,
the columns are dropped from an empty table, `lot` is created as 0006 created it minus the two
columns, and the rows come back, which satisfies the deferred foreign-key checks before the
commit; the provenance is copied from the rows set aside. The rebuild of `purchase_order` in
0013 had lost its unique (tenant, number) and its indexes on SQLite the same way: they are
created again.

On PostgreSQL `received_lot` gets row-level security and its two-column keys with every
tenant table in 0016 and 0017.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

COPY = (
    'INSERT INTO "received_lot" ("id", "tenant_id", "lot_id", "receipt_id", "purchase_order_id") '
    'SELECT l."id", l."tenant_id", l."id", l."receipt_id", '
    'COALESCE(l."purchase_order_id", r."purchase_order_id") '
    'FROM "{lots}" l JOIN "receipt" r ON r."id" = l."receipt_id"'
)
COPY_BACK = (
    'UPDATE "lot" SET '
    '"purchase_order_id" = (SELECT p."purchase_order_id" FROM "received_lot" p '
    'WHERE p."lot_id" = "lot"."id"), '
    '"receipt_id" = (SELECT p."receipt_id" FROM "received_lot" p WHERE p."lot_id" = "lot"."id")'
)
KEPT = ("id", "tenant_id", "sku_id", "trace_code", "supplier_id", "quantity", "received_at",
        "expires_on")  # fmt: skip
COLUMNS = ", ".join(f'"{column}"' for column in KEPT)
SET_ASIDE = [
    "PRAGMA defer_foreign_keys = ON",
    'CREATE TABLE "lot__0015" AS SELECT * FROM "lot"',
    'DROP TABLE "lot"',
    'CREATE TABLE "lot" AS SELECT * FROM "lot__0015" WHERE 0',
]
LOT = """CREATE TABLE "lot" (
    "id" CHAR(36) NOT NULL  PRIMARY KEY,
    "trace_code" VARCHAR(64) NOT NULL,
    "quantity" INT NOT NULL  /* Quantity received into this lot. */,
    "received_at" TIMESTAMP NOT NULL,
    "expires_on" DATE,
    "sku_id" CHAR(36) NOT NULL REFERENCES "sku" ("id") ON DELETE RESTRICT,
    "supplier_id" CHAR(36) REFERENCES "supplier" ("id") ON DELETE RESTRICT,
    "tenant_id" CHAR(36) NOT NULL REFERENCES "tenant" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_lot_tenant__0fa762" UNIQUE ("tenant_id", "trace_code")
)"""
PUT_BACK = [
    'DROP TABLE "lot"',
    LOT,
    f'INSERT INTO "lot" ({COLUMNS}) SELECT {COLUMNS} FROM "lot__0015"',
    COPY.format(lots="lot__0015"),
    'DROP TABLE "lot__0015"',
    'CREATE UNIQUE INDEX IF NOT EXISTS "uid_purchase_or_tenant__305df4" '
    'ON "purchase_order" ("tenant_id", "number")',
    'CREATE INDEX IF NOT EXISTS "idx_purchase_or_tenant__7f4431" '
    'ON "purchase_order" ("tenant_id", "status")',
    'CREATE INDEX IF NOT EXISTS "idx_purchase_or_tenant__bcea21" '
    'ON "purchase_order" ("tenant_id", "supplier_id")',
]


def _run(sqlite: list[str], other: list[str]):  # type: ignore[no-untyped-def]
    async def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        client = schema_editor.client
        for statement in sqlite if client.capabilities.dialect == "sqlite" else other:
            await client.execute_query(statement)

    return run



class Migration(migrations.Migration):
    dependencies = [('merchantops', '0014_rule_set_activations')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ReceivedLot',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('lot', fields.ForeignKeyField('merchantops.Lot', source_field='lot_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('receipt', fields.ForeignKeyField('merchantops.Receipt', source_field='receipt_id', db_constraint=True, to_field='id', related_name='received_lots', on_delete=OnDelete.RESTRICT)),
                ('purchase_order', fields.ForeignKeyField('merchantops.PurchaseOrder', source_field='purchase_order_id', db_constraint=True, to_field='id', related_name='received_lots', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'received_lot', 'app': 'merchantops', 'unique_together': (('tenant', 'lot'),), 'indexes': [Index(fields=['tenant_id', 'purchase_order_id'])], 'pk_attr': 'id', 'table_description': 'A lot a receipt brought in: the provenance purchasing keeps of the stock it received.'},
            bases=['TenantModel'],
        ),
        ops.RunPython(_run(SET_ASIDE, [COPY.format(lots="lot")]), _run([COPY_BACK], [COPY_BACK])),
        ops.RemoveField(model_name='Lot', name='purchase_order'),
        ops.RemoveField(model_name='Lot', name='receipt'),
        ops.RunPython(_run(PUT_BACK, []), _run([], [])),
    ]
