"""An area adds fields to another area's types (`core/extensions.py`): each where it says, on
output types and filter inputs alike, resolved from the extended type's node, by both
executors; applying twice adds nothing; a misplaced or clashing field is refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import Info

from merchantops.api.graphql.core.execution import CompiledExecutor
from merchantops.api.graphql.core.extensions import (
    Extension,
    contributed,
    extend,
    filter_field,
    narrowed,
)
from merchantops.api.graphql.schema import build_schema


@dataclass(frozen=True)
class Row:
    id: int
    name: str
    owner: str | None


ROWS = [Row(1, "apple", "ann"), Row(2, "pear", None), Row(3, "plum", "bob")]


@strawberry.type
class Fruit:  # the lower area's type: it knows nothing of owners
    id: int
    name: str
    colour: str = "green"


@strawberry.input
class FruitFilter:
    name: str | None = None
    colour: str | None = None


def _owner(root: Fruit, info: Info) -> str | None:
    owner: str | None = info.context["owners"][root.id]
    return owner


def _owner_known(root: Fruit, info: Info) -> bool:
    return info.context["owners"][root.id] is not None


def _owned_by(rows: list[Row], owner: str) -> list[Row]:
    return [row for row in rows if row.owner == owner]


@strawberry.type
class FruitOwnership:  # the higher area's contribution
    owner: str | None = contributed(after="id", resolver=_owner, description="Who owns it.")
    owner_known: bool = contributed(after="name", resolver=_owner_known)


@strawberry.input
class FruitFilterByOwner:
    owner: str | None = filter_field(after="name", narrow=_owned_by, description="Only theirs.")


EXTENDS = (Extension(Fruit, FruitOwnership), Extension(FruitFilter, FruitFilterByOwner))


@strawberry.type
class Query:
    @strawberry.field
    def fruits(self, filter: FruitFilter | None = None) -> list[Fruit]:
        filter = filter or FruitFilter()
        rows = narrowed(filter, [row for row in ROWS if filter.name in (None, row.name)])
        return [Fruit(id=row.id, name=row.name) for row in rows]


def _schema(executor: type[Any]) -> strawberry.Schema:
    extend(EXTENDS)
    return strawberry.Schema(query=Query, execution_context_class=executor)


def _fields(schema: strawberry.Schema, name: str) -> list[str]:
    return list(schema._schema.type_map[name].fields)  # type: ignore[attr-defined]


def test_contributed_fields_sit_where_they_say_and_applying_again_adds_nothing() -> None:
    schema = _schema(StrawberryGraphQLCoreExecutionContext)
    extend(EXTENDS)  # a second build of the schema in the same process
    again = _schema(CompiledExecutor)

    for built in (schema, again):
        assert _fields(built, "Fruit") == ["id", "owner", "name", "ownerKnown", "colour"]
        assert _fields(built, "FruitFilter") == ["name", "owner", "colour"]
    assert "owner: String = null\n  colour: String = null" in str(schema)
    assert '"""Who owns it."""\n  owner: String' in str(schema)


@pytest.mark.parametrize("executor", [CompiledExecutor, StrawberryGraphQLCoreExecutionContext])
async def test_contributed_fields_resolve_from_the_extended_types_node(executor: Any) -> None:
    schema = _schema(executor)
    context = {"owners": {row.id: row.owner for row in ROWS}}

    everything = await schema.execute(
        "{ fruits { id owner name ownerKnown colour } }", context_value=context
    )
    bobs = await schema.execute(
        '{ fruits(filter: {owner: "bob"}) { name owner } }', context_value=context
    )
    plain = await schema.execute('{ fruits(filter: {name: "pear"}) { name } }')

    assert everything.errors is None
    assert everything.data == {
        "fruits": [
            {"id": 1, "owner": "ann", "name": "apple", "ownerKnown": True, "colour": "green"},
            {"id": 2, "owner": None, "name": "pear", "ownerKnown": False, "colour": "green"},
            {"id": 3, "owner": "bob", "name": "plum", "ownerKnown": True, "colour": "green"},
        ]
    }
    assert bobs.data == {"fruits": [{"name": "plum", "owner": "bob"}]}
    assert plain.data == {"fruits": [{"name": "pear"}]}


def test_an_input_built_in_python_has_the_contributed_fields_default() -> None:
    extend(EXTENDS)

    built = FruitFilter(name="plum", owner="ann")  # type: ignore[call-arg]

    assert FruitFilter().owner is None  # type: ignore[attr-defined]
    assert (built.name, built.owner) == ("plum", "ann")  # type: ignore[attr-defined]
    assert narrowed(built, ROWS) == [ROWS[0]]
    assert narrowed(FruitFilter(), ROWS) == ROWS


def _one() -> int:
    return 1


def test_a_field_placed_after_a_field_the_type_lacks_is_refused() -> None:
    @strawberry.type
    class Misplaced:
        extra: int = contributed(after="weight", resolver=_one)

    with pytest.raises(ValueError, match="Fruit has no field 'weight'"):
        extend([Extension(Fruit, Misplaced)])


def test_a_field_the_type_has_already_is_refused() -> None:
    @strawberry.type
    class Clash:
        name: str = contributed(after="id", resolver=_one)

    with pytest.raises(ValueError, match="Fruit has this field already"):
        extend([Extension(Fruit, Clash)])


def test_an_input_extends_only_an_input() -> None:
    with pytest.raises(TypeError, match="FruitFilter is an input"):
        extend([Extension(FruitFilter, FruitOwnership)])


def test_purchasing_provides_the_lots_order_and_receipt_in_the_schema() -> None:
    schema = build_schema()._schema

    assert list(schema.type_map["Lot"].fields) == [  # type: ignore[attr-defined]
        *("id", "traceCode", "skuId", "sku", "supplierId", "purchaseOrderId", "supplier"),
        *("purchaseOrder", "receiptId", "receipt", "quantity", "receivedAt", "expiresOn"),
    ]
    assert list(schema.type_map["LotFilter"].fields) == [  # type: ignore[attr-defined]
        "skuId",
        "supplierId",
        "purchaseOrderId",
        "expiresBefore",
    ]
