"""Compiled execution answers exactly what graphql-core answers: same data, same errors with the
same paths, same null propagation, DataLoaders still batching. Each operation runs on a small
schema twice, once per executor, and the two results are compared."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.extensions import FieldExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import Info

from merchantops.api.graphql.core.execution import CompiledExecutor, ValueExtension


class Upper(FieldExtension, ValueExtension):
    def resolve(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        return self.transform(source, next_(source, info, **kwargs), info.context)

    def transform(self, source: Any, value: Any, context: Any) -> Any:
        return value.upper() if isinstance(value, str) and context["shout"] else value


class Suffix(FieldExtension):
    """Not a ValueExtension: its field goes through the resolver."""

    def resolve(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        return f"{next_(source, info, **kwargs)}!"


LOUD: list[FieldExtension] = [Upper()]
EXCITED: list[FieldExtension] = [Suffix()]


@strawberry.type
class Tag:
    label: str


@strawberry.type
class Item(relay.Node):
    id: relay.NodeID[int]
    name: str
    note: str | None
    broken: strawberry.Private[bool] = False

    @strawberry.field(extensions=LOUD)  # type: ignore[untyped-decorator]
    def loud(self) -> str:
        return self.name

    @strawberry.field(extensions=EXCITED)  # type: ignore[untyped-decorator]
    def excited(self) -> str:
        return self.name

    @strawberry.field
    def strict(self) -> str:
        if self.broken:
            raise ValueError(f"item {self.id} is broken")
        return self.name

    @strawberry.field
    def must(self) -> str:
        return None if self.broken else self.name  # type: ignore[return-value]

    @strawberry.field
    def maybe(self) -> str | None:
        if self.broken:
            raise ValueError("no maybe")
        return self.name

    @strawberry.field
    def tags(self) -> list[Tag]:
        return [Tag(label=f"{self.name}-{n}") for n in range(2)]

    @strawberry.field
    def greeting(self, prefix: str = "hi") -> str:
        return f"{prefix} {self.name}"

    @strawberry.field
    async def twin(self, info: Info) -> str:
        loaded: str = await info.context["loader"].load(self.id)
        return loaded


@strawberry.interface
class Animal:
    name: str


@strawberry.type
class Dog(Animal):
    barks: bool


@strawberry.type
class Query:
    @strawberry.field
    def items(self, broken: list[int] | None = None) -> list[Item]:
        return [
            Item(id=n, name=f"item{n}", note=None if n % 2 else "even", broken=n in (broken or []))
            for n in range(1, 5)
        ]

    @strawberry.field
    async def first(self) -> Item:
        return Item(id=1, name="item1", note=None)

    @strawberry.field
    def nothing(self) -> Item | None:
        return None

    @strawberry.field
    def pet(self) -> Animal:
        return Dog(name="rex", barks=True)

    @strawberry.field
    def numbers(self) -> list[int | None]:
        return [1, None, 3]


def _schema(executor: type[Any]) -> strawberry.Schema:
    return strawberry.Schema(query=Query, types=[Dog], execution_context_class=executor)


COMPILED = _schema(CompiledExecutor)
STOCK = _schema(StrawberryGraphQLCoreExecutionContext)


async def _both(
    query: str, variables: dict[str, Any] | None = None, *, compiles: bool = True
) -> Any:
    results = []
    for schema in (COMPILED, STOCK):
        calls: list[list[int]] = []

        async def load(keys: list[int], calls: list[list[int]] = calls) -> list[str]:
            calls.append(keys)
            return [f"twin{key}" for key in keys]

        context = {"shout": True, "loader": DataLoader(load_fn=load)}
        result = await schema.execute(query, variable_values=variables, context_value=context)
        errors = [(e.message, e.path) for e in result.errors or []]
        results.append((result.data, errors, calls))
        if schema is COMPILED:  # the compiled path did run (or, with directives, declined)
            _, plan = next(reversed(CompiledExecutor._plans.values()))
            assert (plan is not None) is compiles
    compiled, stock = results
    assert compiled == stock
    return compiled


async def test_fields_of_every_kind_come_out_the_same() -> None:
    data, errors, _ = await _both(
        """{ items { __typename id name note loud excited strict must maybe
                     tags { label } greeting(prefix: "hey") alias: greeting }
             first { id loud } nothing { id } numbers }"""
    )
    assert errors == []
    assert data["items"][0]["loud"] == "ITEM1"
    assert data["items"][0]["excited"] == "item1!"
    assert data["items"][1]["greeting"] == "hey item2"
    assert data["nothing"] is None


async def test_an_error_in_a_nullable_field_nulls_only_that_field() -> None:
    data, errors, _ = await _both("{ items(broken: [2]) { id maybe } }")
    assert data["items"][1] == {"id": "SXRlbToy", "maybe": None}
    assert errors == [("no maybe", ["items", 1, "maybe"])]


@pytest.mark.parametrize("field", ["strict", "must"])
async def test_a_non_null_failure_nulls_the_nearest_nullable_parent(field: str) -> None:
    data, errors, _ = await _both(f"{{ items(broken: [3]) {{ id {field} }} first {{ id }} }}")
    assert data is None  # items is [Item!]!: the failure reaches the root
    assert [path for _, path in errors] == [["items", 2, field]]


async def test_fragments_and_aliases_compile_directives_fall_back() -> None:
    data, errors, _ = await _both(
        "{ items { ...Parts again: name } } fragment Parts on Item { id ... on Item { note } }"
    )
    assert errors == []
    assert data["items"][0] == {"id": "SXRlbTox", "note": None, "again": "item1"}
    query = """
      query Q($loud: Boolean!) {
        items { ...Parts again: name extra: tags { label } }
        first { loud @include(if: $loud) name @skip(if: $loud) }
      }
      fragment Parts on Item { id name ... on Item { note } }
    """
    for loud in (True, False):
        _, errors, _ = await _both(query, {"loud": loud}, compiles=False)
        assert errors == []


async def test_interfaces_are_delegated_and_answered_the_same() -> None:
    data, _, _ = await _both("{ pet { __typename name ... on Dog { barks } } }")
    assert data == {"pet": {"__typename": "Dog", "name": "rex", "barks": True}}


async def test_a_dataloader_under_a_list_still_loads_in_one_batch() -> None:
    data, _, calls = await _both("{ items { twin } }")
    assert [item["twin"] for item in data["items"]] == ["twin1", "twin2", "twin3", "twin4"]
    assert calls == [[1, 2, 3, 4]]
