"""Stock levels can never go negative, enforced by the database itself.

0006 declared the CHECK constraint on `StockLevel`, but tortoise 1.1.9's `CreateModel` leaves
`Meta.constraints` out of its CREATE TABLE on both backends, so the table was created without
it. PostgreSQL gets the constraint added; SQLite cannot add a constraint to an existing table
without rebuilding it, so there two triggers refuse the same rows on INSERT and UPDATE.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

CHECK = "on_hand >= 0 AND allocated >= 0 AND allocated <= on_hand"
POSTGRES = [
    f'ALTER TABLE "stock_level" ADD CONSTRAINT "stock_level_never_negative" CHECK ({CHECK})'
]
POSTGRES_REVERSE = ['ALTER TABLE "stock_level" DROP CONSTRAINT "stock_level_never_negative"']
SQLITE = [
    f'CREATE TRIGGER "stock_level_never_negative_{event.lower()}" BEFORE {event} ON "stock_level" '
    f"FOR EACH ROW WHEN NOT (NEW.on_hand >= 0 AND NEW.allocated >= 0 "
    f"AND NEW.allocated <= NEW.on_hand) "
    f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: stock_level_never_negative'); END"
    for event in ("INSERT", "UPDATE")
]
SQLITE_REVERSE = [
    f'DROP TRIGGER IF EXISTS "stock_level_never_negative_{event}"' for event in ("insert", "update")
]


def _run(postgres: list[str], sqlite: list[str]):  # type: ignore[no-untyped-def]
    async def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        client = schema_editor.client
        dialect = client.capabilities.dialect
        statements = postgres if dialect == "postgres" else sqlite if dialect == "sqlite" else []
        for statement in statements:
            await client.execute_query(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("merchantops", "0007_data_exports")]

    initial = False

    operations = [
        ops.RunPython(_run(POSTGRES, SQLITE), _run(POSTGRES_REVERSE, SQLITE_REVERSE)),
    ]
